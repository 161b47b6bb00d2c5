"""Routes that exist only under `kycrail serve --sandbox`."""
