"""Results and impact: outcomes, the yearly follow-up, indicators, dashboards, reports."""
