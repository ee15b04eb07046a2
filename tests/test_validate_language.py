"""The boundary validators speak the learner's language: Chinese with AIGC_LANG=zh, the same English as ever with en.

The Chinese message still names the parameter (a code name or a Chinese field name) and shows the bad value;
a space follows a code name but not a Chinese one.
"""

import re

import pytest
import torch

from aigc_course.validate import (IntTypeError, check_bool, check_choice, check_finite_tensor, check_float,
                                  check_float_batch, check_int, check_int_compat, check_path, check_str,
                                  check_token_ids, check_token_lists, check_tokens, read_text_file)

CHINESE = re.compile(r"[\u4e00-\u9fff]")

# (call, exception type, the English message exactly as the validators have always written it)
CASES = [
    (lambda: check_int(2.0, "batch_size", minimum=1), TypeError, "batch_size must be an int, got float 2.0"),
    (lambda: check_int(0, "batch_size", minimum=1, maximum=1000), ValueError,
     "batch_size must be an int between 1 and 1,000, got 0"),
    (lambda: check_int(5000, "steps", maximum=1000), ValueError, "steps must be an int <= 1,000, got 5,000"),
    (lambda: check_float(float("nan"), "lr"), ValueError, "lr must be a number, got NaN"),
    (lambda: check_float(1.5, "top_p", minimum=0.0, maximum=1.0, exclusive_maximum=True), ValueError,
     "top_p must be >= 0.0 and < 1.0, got 1.5"),
    (lambda: check_str(3, "title"), TypeError, "title must be a str, got int 3"),
    (lambda: check_choice("x", "mode", ["a", "b"]), ValueError, "mode must be one of 'a', 'b'; got 'x'"),
    (lambda: check_bool("False", "progress"), TypeError, "progress must be True or False, got str 'False'"),
    (lambda: check_tokens("abc", "tokens"), TypeError,
     "tokens must be a sequence of str tokens, not a single str ('abc'); split it first, e.g. tokens=text.split()"),
    (lambda: check_token_ids([1, 99], "ids", 10), ValueError, "ids[1] = 99 is outside the vocabulary [0, 10)"),
    (lambda: check_token_lists(["a b"], "sentences"), TypeError,
     "sentences[0] must be a sequence of str tokens, not a single str ('a b'); a corpus is a list of token lists, "
     "e.g. [line.split() for line in lines]"),
    (lambda: check_path("", "path"), ValueError, "path must be a file path, got ''"),
    (lambda: check_finite_tensor(torch.tensor([1.0, float("nan")]), "x"), ValueError,
     "x holds 1 NaN or infinite values; clean the data first"),
    (lambda: check_float_batch(torch.zeros(2, 3), "z", (4,)), ValueError, "z must have shape (N, 4), got (2, 3)"),
]

# (call, the parameter name it passes, the bad value as the message shows it)
NAMED = [
    (lambda: check_int(2.0, "batch_size", minimum=1), "batch_size", "2.0"),
    (lambda: check_int(0, "batch_size", minimum=1, maximum=1000), "batch_size", "0"),
    (lambda: check_float(1.5, "top_p", minimum=0.0, maximum=1.0), "top_p", "1.5"),
    (lambda: check_str(3, "title"), "title", "3"),
    (lambda: check_choice("x", "mode", ["a", "b"]), "mode", "'x'"),
    (lambda: check_bool("False", "progress"), "progress", "'False'"),
    (lambda: check_tokens(["a", 1], "tokens"), "tokens[1]", "1"),
    (lambda: check_token_ids([1, 99], "ids", 10), "ids[1]", "99"),
    (lambda: check_path(3, "path"), "path", "3"),
]


@pytest.fixture(autouse=True)
def no_edition(monkeypatch, tmp_path):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("call, kind, english", CASES)
def test_english_messages_are_as_before(monkeypatch, call, kind, english):
    monkeypatch.setenv("AIGC_LANG", "en")
    with pytest.raises(kind) as caught:
        call()
    assert str(caught.value) == english


@pytest.mark.parametrize("call, kind, english", CASES)
def test_chinese_messages_are_chinese(monkeypatch, call, kind, english):
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(kind) as caught:
        call()
    assert CHINESE.search(str(caught.value)), str(caught.value)
    assert str(caught.value) != english


@pytest.mark.parametrize("call, name, shown", NAMED)
def test_chinese_messages_name_the_parameter_and_show_the_value(monkeypatch, call, name, shown):
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    message = str(caught.value)
    assert CHINESE.search(message), message
    assert message.startswith(name + " "), message  # a space after a code name
    assert shown in message, message


def test_a_chinese_parameter_name_takes_no_space(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(TypeError) as caught:
        check_str(3, "任务名称")
    assert str(caught.value) == "任务名称必须是 str，却得到了 int 3"
    with pytest.raises(IntTypeError) as caught:  # after full-width punctuation no space either
        check_int_compat("3", "span（字符数）", minimum=1)
    assert str(caught.value) == "span（字符数）必须是 int，却得到了 str '3'"
    with pytest.raises(ValueError) as caught:
        check_int(0, "batch_size", minimum=1, maximum=1000)
    assert str(caught.value) == "batch_size 必须是 1 到 1,000 之间的 int，却得到了 0"


def test_the_language_is_chosen_when_the_error_is_raised(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(ValueError, match="必须"):
        check_float(float("inf"), "lr")
    monkeypatch.setenv("AIGC_LANG", "en")
    with pytest.raises(ValueError, match=r"^lr must be finite, got inf$"):
        check_float(float("inf"), "lr")


@pytest.mark.parametrize("lang, expected", [("en", "no ARPA file at {path}"), ("zh", "{path} 处没有 ARPA 文件")])
def test_missing_file_message(monkeypatch, tmp_path, lang, expected):
    monkeypatch.setenv("AIGC_LANG", lang)
    path = tmp_path / "missing.arpa"
    with pytest.raises(FileNotFoundError) as caught:
        read_text_file(path, what="ARPA file")
    assert str(caught.value) == expected.format(path=path)


def test_a_binary_file_is_refused_in_both_languages(monkeypatch, tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_bytes(b"ab\xff")
    monkeypatch.setenv("AIGC_LANG", "en")
    with pytest.raises(ValueError) as caught:
        read_text_file(path, what="vocabulary file")
    assert str(caught.value) == (f"{path} is not a UTF-8 text vocabulary file: byte 2 is b'\\xff' (invalid start "
                                 "byte); the file is damaged or of another kind")
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(ValueError) as caught:
        read_text_file(path, what="vocabulary file")
    assert str(caught.value).startswith(f"{path} 不是 UTF-8 编码的词表文件：")
