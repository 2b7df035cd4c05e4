"""The issue's "must show" script, run as the commands a facilitator and three teams type.

``crossroads workshop host`` serves a session on 127.0.0.1; each team fetches its decision
sheet with ``workshop sheet --host``, edits it and hands it in with ``workshop submit
--host``; a wrong code, another team's code, a team's code trying to resolve and the
facilitator's code trying to hand in are refused (exit 1, one line, no traceback); the host
is killed with SIGKILL and restarted, and ``workshop status --host`` shows every hand-in;
the facilitator resolves the round over the network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from network_play import Processes, free_port, snapshot

from game.cli import main
from game.workshop.session import WorkshopSession, session_path

TEAMS = {  # the values each team writes into its sheet
    "Red": (280.0, 2000, "refactor"),
    "Green": (310.0, 4500, "api"),
    "Blue": (345.5, 6000, "onboarding"),
}


def _here(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``crossroads ARGV`` run in this process (the same code as a typed command, without
    another interpreter's start-up): (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _ok(answer: tuple[int, str, str]) -> str:
    code, out, err = answer
    assert code == 0, err
    return out


def _refused(answer: tuple[int, str, str], reason: str) -> None:
    code, out, err = answer
    assert code == 1, (code, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err  # one line: the reason, never a traceback
    assert lines[0].startswith("crossroads workshop: ") and reason in lines[0], lines[0]
    assert "Traceback" not in err


def _edit(sheet: str, price: float, marketing: int, item: str) -> str:
    """What a person does to the sheet: a new price, marketing and roadmap."""
    edits = [
        (r"^(      price: )[0-9.]+", rf"\g<1>{price}"),
        (r"^(      marketing: ).*?(  #)", rf'\g<1>{{"smb": {marketing}, "mid": 1000}}\g<2>'),
        (r"^(      roadmap: )\[\]", rf'\g<1>["{item}"]'),
    ]
    for pattern, new in edits:
        sheet, n = re.subn(pattern, new, sheet, count=1, flags=re.M)
        assert n == 1, pattern
    return sheet


def test_the_scripted_network_workshop(
    procs: Processes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = _here(
        capsys,
        "workshop", "new", "--scenario", "tutorial", "--teams", ",".join(TEAMS),
        "--mode", "shared", "--rounds", "3", "--resolution", "150", "--seed", "5",
    )[1].strip()  # fmt: skip
    code, listed, err = _here(capsys, "workshop", "codes", sid)
    assert code == 0, err
    codes = dict(line.rsplit(" ", 1) for line in listed.splitlines())  # TEAM CODE lines
    assert list(codes) == list(TEAMS)
    port = free_port()
    host = procs.host(sid, port)
    assert host.codes == codes
    assert err.strip() == f"facilitator code: {host.facilitator}"
    url, fac = host.url, host.facilitator

    # Every team fetches its sheet, edits it and hands it in (the three at once).
    sheets = {team: tmp_path / f"{team.lower()}.yaml" for team in TEAMS}
    fetching = {
        t: procs.cli("workshop", "sheet", "--host", url, "--code", codes[t], "-o", str(sheets[t]))
        for t in TEAMS
    }
    for team, command in fetching.items():
        assert command.finish()[0] == 0, command.why()
        text = sheets[team].read_text()
        assert f'team: "{team}"' in text and "round: 1" in text
        sheets[team].write_text(_edit(text, *TEAMS[team]))
    handing = {
        t: procs.cli(
            "workshop", "submit", "--host", url, "--code", codes[t], "--decisions", str(sheets[t])
        )
        for t in TEAMS
    }
    for command in handing.values():
        assert _ok(command.finish()).startswith("handed in for round 1 (the host has it on disk)")

    # Refused, in one line each, and nothing changes: a wrong code and another team's code
    # (typed commands), a team's code resolving, the facilitator's handing in, no host.
    before = snapshot(session_path(sid))
    red = str(sheets["Red"])
    wrong = procs.cli(
        "workshop", "submit", "--host", url, "--code", "ZZZZ-ZZZZ", "--decisions", red
    )
    other = procs.cli(
        "workshop", "submit", "--host", url, "--code", codes["Green"], "--decisions", red
    )
    _refused(wrong.finish(), "that join code is not one of this workshop's; check it and retry")
    _refused(
        other.finish(),
        "the sheet was refused; nothing was recorded: this sheet is for team Red, not Green",
    )
    for args, reason in [
        (("resolve", "--host", url, "--code", codes["Red"]), "only the facilitator's code"),
        (("submit", "--host", url, "--code", fac, "--decisions", red), "does not play for a team"),
        (
            ("status", "--host", f"127.0.0.1:{free_port()}", "--code", fac),
            "nothing answers at http://127.0.0.1:",
        ),
    ]:
        _refused(_here(capsys, "workshop", *args), reason)
    assert snapshot(session_path(sid)) == before

    # The host dies (kill -9) and comes back on the same port: every hand-in is there.
    host.kill()
    procs.host(sid, port)
    out = _ok(procs.run("workshop", "status", "--host", url, "--code", fac))
    assert out.splitlines()[0] == f"{sid}: round 1 of 3, 3 of 3 teams handed in"
    for team in TEAMS:
        assert f"  {team}: handed in" in out
    session = WorkshopSession.open(sid)
    for team, (price, marketing, item) in TEAMS.items():
        line = session.decisions(1)[team].products["teamboard"]
        assert (line.price, line.marketing, line.roadmap) == (
            price,
            {"smb": marketing, "mid": 1000},
            [item],
        )

    # The facilitator plays the round over the network; the teams see round 2 open.
    out = _ok(_here(capsys, "workshop", "resolve", "--host", url, "--code", fac))
    assert out.splitlines()[0] == "round 1 resolved"
    out = _ok(_here(capsys, "workshop", "status", "--host", url, "--code", codes["Blue"]))
    assert out.splitlines() == [
        f"{sid}: round 2 of 3, 0 of 3 teams handed in",
        "your team (Blue): not handed in yet",
    ]
    assert session.resolved == 1 and [row["team"] for row in session.leaderboard()] != []
    session.close()
