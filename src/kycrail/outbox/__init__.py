"""The transactional outbox: every customer write appends its events in the write's own transaction,
so nothing is sent that was not committed and nothing committed is lost (issue 13)."""
