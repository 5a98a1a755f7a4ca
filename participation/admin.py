"""Admin for participation arrives with the joining issue."""
