"""Staff accounts: roles, argon2 passwords, API tokens, login."""
