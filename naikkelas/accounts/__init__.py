"""Users, roles, region scope and API tokens."""
