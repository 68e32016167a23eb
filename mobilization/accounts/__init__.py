"""Accounts: second factors, expiring API tokens, lockouts, password age and history, the client
address. Its models live in mobilization.models.accounts; its rules in `services`."""
