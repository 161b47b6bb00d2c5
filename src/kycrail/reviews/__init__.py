"""The review desk's own records beside the customers: who took which customer (advisory), decisions
proposed and awaiting a second operator (four eyes), and internal notes that never leave kycrail."""
