"""Pure optimisation libraries (no Django import), each with a JSON-in/JSON-out command."""
