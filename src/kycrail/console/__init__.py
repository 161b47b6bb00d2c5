"""The reviewer console (``/console``): server-rendered pages where a tenant's operators, signed in as
people, work the review queue. A web adapter like the API's dialects: it parses forms, calls the same
services (``reviews``, ``customers``, ``operators``) and renders their answers; no rule lives here."""
