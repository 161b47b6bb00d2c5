from kycrail.cli import main

raise SystemExit(main())
