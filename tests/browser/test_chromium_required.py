"""Without Chromium the browser tests fail loudly and point at the installer; they never skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, require_chromium


def test_a_missing_chromium_fails_with_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"run `bash \.ci/chromium-up`"):
        require_chromium(tmp_path / "no-chromium-here")


@pytest.mark.browser
def test_chromium_is_installed_where_the_browser_tests_expect_it() -> None:
    require_chromium(CHROMIUM)
