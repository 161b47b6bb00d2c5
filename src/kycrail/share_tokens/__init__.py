"""Share-token imports kycrail has made: which applicant each token gave, and whether it was applied."""
