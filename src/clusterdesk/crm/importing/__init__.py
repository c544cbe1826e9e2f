"""Reading organisation lists from CSV and XLSX spreadsheets made by people."""
