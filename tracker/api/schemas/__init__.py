"""Request and response shapes of API v1, one module per router (the served OpenAPI docs at
``/api/v1/docs`` show them). Inputs are bounded as the database is."""
