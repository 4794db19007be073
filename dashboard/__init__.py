"""Groupe SOS impact dashboard: sourced figures, one data layer, Streamlit pages."""
