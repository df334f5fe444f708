import pytest

from linkage.errors import SettingsError
from linkage.settings import Settings, load_settings


def test_lead_threshold_is_a_setting_with_a_calibrated_default(tmp_path):
    assert Settings().lead_threshold == 0.5
    config = tmp_path / "settings.toml"
    config.write_text("lead_threshold = 0.8\n", encoding="utf-8")
    assert load_settings(config).lead_threshold == 0.8


@pytest.mark.parametrize(
    ("value", "why"),
    [("1.5", "must be from 0.0 to 1.0"), ("-0.1", "must be from 0.0 to 1.0"), ('"alta"', "number")],
)
def test_a_threshold_outside_zero_to_one_is_refused(tmp_path, value, why):
    config = tmp_path / "settings.toml"
    config.write_text(f"lead_threshold = {value}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=f"settings.toml: lead_threshold = .*{why}"):
        load_settings(config)
