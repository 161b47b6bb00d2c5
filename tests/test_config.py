import pytest

from kycrail.config import (
    DEFAULT_DATABASE_URL,
    LogLevel,
    SettingsError,
    load_settings,
    setting_names,
    to_async_database_url,
    unknown_settings,
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "HOST", "PORT", "LOG_LEVEL", "DATABASE_POOL_SIZE"):
        monkeypatch.delenv(f"KYCRAIL_{name}", raising=False)


def test_defaults_are_the_embedded_sqlite_file() -> None:
    settings = load_settings()
    assert DEFAULT_DATABASE_URL == "sqlite:///./kycrail.db"
    assert settings.database_url == "sqlite+aiosqlite:///./kycrail.db"
    assert settings.is_sqlite
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8000, LogLevel.info)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KYCRAIL_DATABASE_URL", "postgresql://kyc@db.internal:5432/kycrail")
    monkeypatch.setenv("KYCRAIL_HOST", "0.0.0.0")
    monkeypatch.setenv("KYCRAIL_PORT", "9000")
    monkeypatch.setenv("KYCRAIL_LOG_LEVEL", "DEBUG")
    settings = load_settings()
    assert settings.database_url == "postgresql+asyncpg://kyc@db.internal:5432/kycrail"
    assert not settings.is_sqlite
    assert (settings.host, settings.port, settings.log_level) == ("0.0.0.0", 9000, LogLevel.debug)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./kycrail.db", "sqlite+aiosqlite:///./kycrail.db"),
        ("sqlite:////var/lib/kycrail/k.db", "sqlite+aiosqlite:////var/lib/kycrail/k.db"),
        ("sqlite+aiosqlite:///k.db", "sqlite+aiosqlite:///k.db"),
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u:p@h:5433/db", "postgresql+asyncpg://u:p@h:5433/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_plain_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert to_async_database_url(given) == expected


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db", "unsupported database scheme 'mysql'"),
        ("DATABASE_URL", "kycrail.db", "expected a URL"),
        ("DATABASE_URL", "sqlite://", "expected a URL"),
        ("DATABASE_URL", "sqlite:///", "needs a file path"),
        ("PORT", "eighty", "valid integer"),
        ("PORT", "0", "greater than or equal to 1"),
        ("PORT", "70000", "less than or equal to 65535"),
        ("LOG_LEVEL", "loud", "'debug', 'info', 'warning' or 'error'"),
        ("DATABASE_POOL_SIZE", "0", "greater than or equal to 1"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(f"KYCRAIL_{variable}", value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert message.startswith(f"invalid setting KYCRAIL_{variable}: ")
    assert says in message
    assert "\n" not in message


def test_variables_that_are_no_setting_are_named_with_the_closest_setting() -> None:
    environ = {
        "PATH": "/usr/bin",
        "KYCRAIL_PORT": "8001",
        "kycrail_log_level": "debug",  # the settings read names whatever their case
        "KYCRAIL_DATABSE_URL": "sqlite:///other.db",
        "kycrail_max_conection": "10",
        "KYCRAIL_COLOUR": "blue",
        # Read by kycrail's tests and CI: not settings, and not mistakes either.
        "KYCRAIL_TEST_DATABASE_URL": "postgresql://u@h/db",
        "KYCRAIL_REQUIRE_BROWSER": "1",
    }
    assert unknown_settings(environ) == [
        ("KYCRAIL_COLOUR", None),
        ("KYCRAIL_DATABSE_URL", "KYCRAIL_DATABASE_URL"),
        ("kycrail_max_conection", "KYCRAIL_MAX_CONNECTIONS"),
    ]


def test_no_setting_is_taken_for_an_unknown_variable() -> None:
    assert {"KYCRAIL_DATABASE_URL", "KYCRAIL_PORT", "KYCRAIL_KEY_FILE", "KYCRAIL_SANDBOX"} <= set(
        setting_names()
    )
    assert unknown_settings(dict.fromkeys(setting_names(), "")) == []
