"""Review: accounts and roles, and the decisions analysts take on incidents.

Every decision is written to the custody log with the account and a reason;
status, edits, flags and assignment live in ``incident_reviews`` keyed by the
stable incident id, merges and splits are judgements between member events,
so all of them survive re-running ``dossier corroborate``.
"""

from .accounts import (
    Account,
    account_for_token,
    add_account,
    authenticate,
    issue_token,
    list_accounts,
)
from .roles import ROLES, at_least

__all__ = [
    "Account",
    "ROLES",
    "account_for_token",
    "add_account",
    "at_least",
    "authenticate",
    "issue_token",
    "list_accounts",
]
