from pathlib import Path

import pytest

from careerbot.config import Settings
from careerbot.errors import ConfigError


def test_defaults_need_no_environment() -> None:
    s = Settings.from_env({})
    assert s.embedding_model == "bundled"
    assert s.index_dir.name == "index"
    assert s.torch_threads == 1


@pytest.mark.parametrize(
    ("env", "field", "value"),
    [
        ({"CAREERBOT_INDEX_DIR": "/tmp/x"}, "index_dir", Path("/tmp/x")),
        ({"CAREERBOT_TOP_K": "5"}, "top_k", 5),
        ({"CAREERBOT_AUTO_INDEX": "no"}, "auto_index", False),
        ({"CAREERBOT_EMBEDDING_MODEL": "my/model"}, "embedding_model", "my/model"),
        ({"CAREERBOT_TOP_K": "  "}, "top_k", 3),  # blank means default
        ({}, "max_request_mb", 1.0),  # a web request is bounded by default
        ({"CAREERBOT_MAX_REQUEST_MB": "0.5"}, "max_request_mb", 0.5),
    ],
)
def test_reads_environment(env: dict[str, str], field: str, value: object) -> None:
    assert getattr(Settings.from_env(env), field) == value


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CAREERBOT_TOP_K": "many"}, "CAREERBOT_TOP_K must be a whole number (not 'many')"),
        ({"CAREERBOT_AUTO_INDEX": "maybe"}, "true or false"),
        ({"CAREERBOT_COLLECTION": "ab"}, "at least 3 characters"),
        ({"CAREERBOT_TORCH_THREADS": "0"}, "must be ≥ 1"),
        ({"CAREERBOT_MAX_REQUEST_MB": "0"}, "CAREERBOT_MAX_REQUEST_MB must be a positive number of MB"),
        ({"CAREERBOT_MAX_REQUEST_MB": "lots"}, "CAREERBOT_MAX_REQUEST_MB must be a number (not 'lots')"),
    ],
)
def test_bad_values_say_what_to_do(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env)


def test_overrides_are_validated_too() -> None:
    with pytest.raises(ConfigError):
        Settings.from_env({}, collection="x")


def test_every_setting_is_described() -> None:
    described = Settings().describe()
    assert all(text for text in described.values())
    assert "CAREERBOT_INDEX_DIR" in described


def test_every_setting_reads_back_its_own_default() -> None:
    """Each field's type has a reader: its default, written as text, parses to itself."""
    defaults = Settings()
    env = {
        name: str(getattr(defaults, name.removeprefix("CAREERBOT_").lower())) for name in defaults.describe()
    }
    assert Settings.from_env(env) == defaults
