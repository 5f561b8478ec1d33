"""Encrypted orders: a password from the environment opens them; owner restrictions are never lifted silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import GOOD_YAML, Result, assert_user_error, run_cli
from tests.orders.support import SAMPLE_PASSWORD, check_with_qpdf, encrypted, order_pdf, page_facts, write

VARIABLE = "LEAFLET_TEST_ORDER_PASSWORD"


def attach(capsys: pytest.CaptureFixture[str], order: Path, packet: Path, *options: object) -> Result:
    return run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet, *options)


def assert_no_password_shown(result: Result) -> None:
    assert SAMPLE_PASSWORD not in result.out + result.err


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    """A two-page order that needs SAMPLE_PASSWORD to open (AES-128)."""
    return write(tmp_path / "locked.pdf", encrypted(order_pdf(2), user=SAMPLE_PASSWORD, owner="owner-pw"))


def test_password_needed(capsys: pytest.CaptureFixture[str], tmp_path: Path, locked: Path) -> None:
    """This test ensures that an order needing a password, given none, is exit 2 with one error naming the
    file and pointing to --password-env, and writes nothing."""
    result = attach(capsys, locked, tmp_path / "packet.pdf")
    error = assert_user_error(result, mentions="locked.pdf")
    assert "needs a password" in error["message"] and "--password-env" in error["message"]
    assert not (tmp_path / "packet.pdf").exists()


def test_wrong_password(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a wrong password is exit 2 with an error saying it is wrong, without the
    password in the output."""
    monkeypatch.setenv(VARIABLE, "not-the-password")
    result = attach(capsys, locked, tmp_path / "packet.pdf", "--password-env", VARIABLE)
    error = assert_user_error(result, mentions="locked.pdf")
    assert "wrong" in error["message"]
    assert "not-the-password" not in result.err + result.out


def test_unset_password_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, locked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that --password-env naming an unset variable is exit 2 naming the variable."""
    monkeypatch.delenv(VARIABLE, raising=False)
    result = attach(capsys, locked, tmp_path / "packet.pdf", "--password-env", VARIABLE)
    assert result.code == 2, result
    assert VARIABLE in result.err


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_right_password_from_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, algorithm: str
) -> None:
    """This test ensures that the right password in the environment opens the order (AES-128, AES-256,
    RC4), that its pages reach the packet unchanged, that the packet passes qpdf's check, that a warning
    says the packet is not encrypted, and that the password never appears in stdout or stderr."""
    order = write(
        tmp_path / "locked.pdf", encrypted(order_pdf(2), user=SAMPLE_PASSWORD, owner="o", algorithm=algorithm)
    )
    packet = tmp_path / "packet.pdf"
    monkeypatch.setenv(VARIABLE, SAMPLE_PASSWORD)
    result = attach(capsys, order, packet, "--password-env", VARIABLE)
    assert result.code == 0, result
    assert_no_password_shown(result)
    assert page_facts(packet)[:2] == page_facts(order, SAMPLE_PASSWORD)
    warnings = result.diagnostics("warning")
    assert len(warnings) == 1 and "without encryption" in warnings[0]["message"], result.err
    check_with_qpdf(packet)


@pytest.fixture
def restricted(tmp_path: Path) -> Path:
    """An order that opens with the empty user password but forbids printing and modification."""
    return write(tmp_path / "restricted.pdf", encrypted(order_pdf(2), user="", owner="owner-pw", allow_print=False))


def test_owner_restrictions_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, restricted: Path) -> None:
    """This test ensures that an order restricted by an owner password is not silently unlocked: exit 2
    naming the restrictions from its /P bits and --allow-restricted, nothing written."""
    result = attach(capsys, restricted, tmp_path / "packet.pdf")
    error = assert_user_error(result, mentions="restricted.pdf")
    assert "printing not allowed" in error["message"]
    assert "modification not allowed" in error["message"]
    assert "--allow-restricted" in error["message"]
    assert not (tmp_path / "packet.pdf").exists()


def test_allow_restricted_proceeds_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, restricted: Path
) -> None:
    """This test ensures that --allow-restricted builds the packet and says in one warning line that the
    packet is written without the order's encryption or restrictions."""
    packet = tmp_path / "packet.pdf"
    result = attach(capsys, restricted, packet, "--allow-restricted")
    assert result.code == 0, result
    warnings = result.diagnostics("warning")
    assert len(warnings) == 1, result.err
    assert warnings[0]["path"] == str(restricted)
    assert "without encryption or restrictions" in warnings[0]["message"]
    assert page_facts(packet)[:2] == page_facts(restricted)
    check_with_qpdf(packet)


def test_unrestricted_encryption_needs_no_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an order encrypted with empty passwords and every permission granted is
    attached without --allow-restricted, with the not-encrypted warning."""
    order = write(tmp_path / "open.pdf", encrypted(order_pdf(1), user="", owner="owner-pw"))
    result = attach(capsys, order, tmp_path / "packet.pdf")
    assert result.code == 0, result
    assert "without encryption" in result.err


def test_encrypted_leaflet_pdf_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an encrypted leaflet PDF is exit 2 naming that leaflet, not the order."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    leaflet = write(tmp_path / "leaflet.pdf", encrypted(order_pdf(1), user="", owner="owner-pw"))
    result = run_cli(capsys, "attach", order, leaflet, "-o", tmp_path / "packet.pdf")
    assert "encrypted" in assert_user_error(result, mentions="leaflet.pdf")["message"]
