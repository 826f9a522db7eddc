"""Bundled datasets: loading and building the folders under data/raw/."""
