"""The providers' applicants kycrail follows: which customer each is, their webhooks, reconciliation."""
