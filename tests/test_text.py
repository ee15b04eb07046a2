"""Tests for aigc_course.text: tokenisers, stop words, Vocab, OOV rate, Zipf, unigram LM."""

from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aigc_course import text as T
from aigc_course.text import (UNK, UnigramLM, Vocab, add_zh_words, char_tokenize, chinese_stop_words,
                              del_zh_words, english_stop_words, is_punctuation, oov_rate, rank_frequency,
                              remove_stop_words, word_tokenize, zh_segment, zipf_fit)

# ---------------------------------------------------------------- English words


def test_word_tokenize_splits_punctuation_and_keeps_case():
    assert word_tokenize("Hello, world! How are you?") == ["Hello", ",", "world", "!", "How", "are", "you", "?"]
    assert word_tokenize("Hello, World", lower=True) == ["hello", ",", "world"]


@pytest.mark.parametrize("sentence, expected", [
    ("don't", ["do", "n't"]),
    ("I can't go", ["I", "ca", "n't", "go"]),
    ("I'm here, you're there", ["I", "'m", "here", ",", "you", "'re", "there"]),
    ("we've seen the king's men", ["we", "'ve", "seen", "the", "king", "'s", "men"]),
    ("I'd go and they'll stay", ["I", "'d", "go", "and", "they", "'ll", "stay"]),
    ("Don\u2019t", ["Do", "n\u2019t"]),                          # typographic apostrophe
])
def test_word_tokenize_modern_contractions_follow_penn_treebank(sentence, expected):
    assert word_tokenize(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("'Tis kill'd o'er the sea", ["'Tis", "kill'd", "o'er", "the", "sea"]),
    ("o' th' morning", ["o'", "th'", "morning"]),
    ("is't not so? 'twas", ["is't", "not", "so", "?", "'twas"]),
    ("the kings' crowns", ["the", "kings", "'", "crowns"]),
])
def test_word_tokenize_keeps_shakespeare_elisions_whole(sentence, expected):
    assert word_tokenize(sentence) == expected


def test_word_tokenize_numbers_hyphens_dashes_and_underscores():
    assert word_tokenize("A well-known 3.14 and 1,000 -- wait...") == [
        "A", "well-known", "3.14", "and", "1,000", "--", "wait", "..."]
    assert word_tokenize("snake_case") == ["snake", "_", "case"]


def test_word_tokenize_agrees_with_nltk_treebank_on_plain_sentences():
    from nltk.tokenize import TreebankWordTokenizer

    treebank = TreebankWordTokenizer()
    for sentence in ["I don't think they'll come; can't we wait?",
                     "She's sure we've met, but I'm not.",
                     "The cat sat on the mat (quietly)!"]:
        assert word_tokenize(sentence) == treebank.tokenize(sentence)


def test_word_tokenize_other_scripts_and_emoji():
    assert word_tokenize("naïve café 😀!") == ["naïve", "café", "😀", "!"]
    assert word_tokenize("人工智能 AI") == ["人工智能", "AI"]  # Chinese needs zh_segment
    assert word_tokenize("") == [] and word_tokenize("  \n ") == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_word_tokenize_keeps_every_non_space_character(s):
    tokens = word_tokenize(s)
    assert "".join(tokens) == "".join(s.split())
    assert all(t and not any(c.isspace() for c in t) for t in tokens)
    assert word_tokenize(s, lower=True) == [t.lower() for t in tokens]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_char_tokenize_round_trips_any_unicode(s):
    tokens = char_tokenize(s)
    assert "".join(tokens) == s
    assert len(tokens) == len(s) and all(len(t) == 1 for t in tokens)


def test_char_tokenize_counts_code_points():
    assert char_tokenize("a中😀") == ["a", "中", "😀"]
    assert char_tokenize("🇨🇳") == ["\U0001F1E8", "\U0001F1F3"]  # a flag is two code points


@pytest.mark.parametrize("bad", [None, 3, b"bytes", ["a"]])
def test_tokenisers_reject_non_strings(bad):
    for fn in (word_tokenize, char_tokenize, zh_segment):
        with pytest.raises(TypeError, match="text must be a str"):
            fn(bad)


def test_word_tokenize_rejects_non_bool_lower():
    with pytest.raises(TypeError, match="lower"):
        word_tokenize("a", lower="yes")


def test_is_punctuation():
    assert is_punctuation(",") and is_punctuation("，") and is_punctuation("。") and is_punctuation("--")
    assert not is_punctuation("a") and not is_punctuation("中") and not is_punctuation("") and not is_punctuation("n't")


# ---------------------------------------------------------------- Chinese words

SENTENCE = "我们要学会与人工智能协作。"


def test_zh_segment_accurate_fixed_sentences():
    assert zh_segment(SENTENCE) == ["我们", "要", "学会", "与", "人工智能", "协作", "。"]
    assert zh_segment("大语言模型通过预测下一个词来学习语言的规律。") == [
        "大", "语言", "模型", "通过", "预测", "下", "一个", "词来", "学习", "语言", "的", "规律", "。"]


def test_zh_segment_full_and_search_modes_find_inner_words():
    full = zh_segment("人工智能", mode="full")
    search = zh_segment("人工智能", mode="search")
    assert zh_segment("人工智能") == ["人工智能"]
    assert {"人工", "智能", "人工智能"} <= set(full)
    assert {"人工", "智能", "人工智能"} <= set(search)


def test_add_zh_words_changes_segmentation_and_can_be_undone():
    phrase = "生成式人工智能改变职业"
    before = zh_segment(phrase)
    assert "生成式人工智能" not in before
    add_zh_words(["生成式人工智能"])
    try:
        assert zh_segment(phrase)[0] == "生成式人工智能"
    finally:
        del_zh_words(["生成式人工智能"])
    assert zh_segment(phrase) == before


def test_add_zh_words_does_not_touch_the_global_jieba():
    import jieba

    add_zh_words(["课程专用词汇"])
    try:
        assert "课程专用词汇" not in jieba.lcut("这是课程专用词汇")
    finally:
        del_zh_words(["课程专用词汇"])


def test_zh_segment_drops_spaces_and_keeps_latin_and_digits():
    assert zh_segment("我 爱 GPT 2024") == ["我", "爱", "GPT", "2024"]
    assert zh_segment("") == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_zh_segment_accurate_keeps_every_non_space_character(s):
    assert "".join(zh_segment(s)) == "".join(s.split())


def test_zh_segment_bad_arguments():
    with pytest.raises(ValueError, match="mode must be one of"):
        zh_segment(SENTENCE, mode="fast")
    with pytest.raises(TypeError, match="hmm"):
        zh_segment(SENTENCE, hmm=1)
    with pytest.raises(ValueError, match="non-space"):
        add_zh_words([" "])
    with pytest.raises(ValueError, match="whitespace"):
        add_zh_words(["两个 词"])
    with pytest.raises(ValueError, match="freq"):
        add_zh_words(["词"], freq=0)


# ---------------------------------------------------------------- stop words


def test_english_stop_words_sources():
    small, large = english_stop_words(), english_stop_words("stop-words")
    assert isinstance(small, frozenset) and {"the", "and", "of"} <= small
    assert len(small) == 318 and len(large) > 1000
    assert "king" not in small and "love" not in large
    with pytest.raises(ValueError, match="source"):
        english_stop_words("nltk")


def test_chinese_stop_words_sources():
    both = chinese_stop_words()
    assert {"的", "了", "是"} <= both
    assert chinese_stop_words("stop-words") | chinese_stop_words("snownlp") == both
    assert all(T._HAN.search(w) for w in both)  # no punctuation or English
    assert "人工智能" not in both
    with pytest.raises(ValueError, match="source"):
        chinese_stop_words("jieba")


def test_remove_stop_words_english_and_chinese():
    tokens = word_tokenize("The king is dead, long live the King!")
    assert remove_stop_words(tokens, english_stop_words()) == ["king", "dead", "long", "live", "King"]
    assert remove_stop_words(zh_segment("我们的工作是学习人工智能。"), chinese_stop_words()) == ["工作", "学习", "人工智能"]
    assert remove_stop_words([",", "the"], [], drop_punctuation=False) == [",", "the"]


# ---------------------------------------------------------------- Vocab and OOV


def test_vocab_build_orders_by_count_then_alphabet():
    vocab = Vocab.build("b a c a b a d".split())
    assert vocab.tokens == [UNK, "a", "b", "c", "d"]
    assert vocab.encode(["a", "zzz", "d"]) == [1, 0, 4]
    assert vocab.decode([1, 0, 4]) == ["a", UNK, "d"]
    assert vocab["zzz"] == vocab.unk_id == 0 and "a" in vocab and "zzz" not in vocab and len(vocab) == 5


def test_vocab_min_freq_max_size_and_specials():
    tokens = "a a a b b c".split()
    assert Vocab.build(tokens, min_freq=2).tokens == [UNK, "a", "b"]
    assert Vocab.build(tokens, max_size=2).tokens == [UNK, "a"]
    vocab = Vocab.build(tokens, specials=(UNK, "<s>", "</s>"))
    assert vocab.tokens[:3] == [UNK, "<s>", "</s>"] and vocab.encode(["<s>"]) == [1]


def test_vocab_save_load_round_trip_with_unicode(tmp_path):
    vocab = Vocab.build(["人工智能", "😀", "a", "a", "生成"], specials=(UNK, "<pad>"))
    path = vocab.save(tmp_path / "sub" / "vocab.json")
    loaded = Vocab.load(path)
    assert loaded.tokens == vocab.tokens and loaded.specials == vocab.specials and loaded.counts == vocab.counts
    assert not [p for p in path.parent.iterdir() if p.name != "vocab.json"]  # no temp file left behind
    assert "人工智能" in path.read_text(encoding="utf-8")


def test_vocab_load_rejects_other_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a vocabulary"):
        Vocab.load(path)


def test_vocab_bad_input():
    with pytest.raises(ValueError, match="min_freq"):
        Vocab.build(["a"], min_freq=0)
    with pytest.raises(ValueError, match="min_freq"):
        Vocab.build(["a"], min_freq=1.5)
    with pytest.raises(TypeError, match="not one str"):
        Vocab.build("abc")
    with pytest.raises(TypeError, match="only str"):
        Vocab.build(["a", 1])
    with pytest.raises(ValueError, match="max_size"):
        Vocab.build(["a"], max_size=0)
    with pytest.raises(ValueError, match="ids must be"):
        Vocab.build(["a"]).decode([5])
    with pytest.raises(ValueError, match="must not be empty"):
        Vocab.build([])
    with pytest.raises(ValueError, match="ids must be"):
        Vocab.build(["a"]).decode([True])
    assert Vocab.build(["a"]).decode(np.array([1, 0])) == ["a", UNK]
    with pytest.raises(ValueError, match="specials must start"):
        Vocab(["a"], specials=("<pad>",))


def test_oov_rate_counts_running_tokens():
    vocab = Vocab.build("a b c".split())
    assert oov_rate("a a x y".split(), vocab) == 0.5
    assert oov_rate(["a", UNK], vocab) == 0.5  # the <unk> token itself is not a known word
    assert oov_rate(["a", "b"], {"a"}) == 0.5
    with pytest.raises(ValueError, match="empty"):
        oov_rate([], vocab)
    with pytest.raises(TypeError):
        oov_rate(["a"], "abc")


def test_oov_rate_falls_as_the_cutoff_falls():
    train = [f"w{int(x)}" for x in np.random.default_rng(0).zipf(1.5, 20000)]
    test = [f"w{int(x)}" for x in np.random.default_rng(1).zipf(1.5, 5000)]
    rates = [oov_rate(test, Vocab.build(train, min_freq=k)) for k in (1, 2, 5, 20)]
    assert rates == sorted(rates) and rates[0] < rates[-1]


# ---------------------------------------------------------------- Zipf


def test_rank_frequency_sorts_counts():
    ranks, freqs = rank_frequency(Counter("aaabbc"))
    assert ranks.tolist() == [1, 2, 3] and freqs.tolist() == [3, 2, 1]


def test_zipf_fit_recovers_an_exact_power_law():
    counts = [1e6 / r ** 1.2 for r in range(1, 2001)]
    fit = zipf_fit(counts)
    assert fit.slope == pytest.approx(-1.2, abs=1e-9)
    assert fit.intercept == pytest.approx(6.0, abs=1e-9)
    assert fit.r_squared == pytest.approx(1.0)
    slope, intercept, _ = zipf_fit(counts, min_rank=10, max_rank=100)
    assert slope == pytest.approx(-1.2, abs=1e-9)


def test_zipf_fit_on_shakespeare_is_close_to_minus_one():
    from aigc_course.data import load_play

    counts = Counter(w for w in word_tokenize(load_play("hamlet"), lower=True) if not is_punctuation(w))
    fit = zipf_fit(counts, max_rank=sum(c >= 5 for c in counts.values()))
    assert -1.3 < fit.slope < -0.8 and fit.r_squared > 0.95


def test_zipf_bad_input():
    with pytest.raises(ValueError, match="empty"):
        zipf_fit([])
    with pytest.raises(ValueError, match="positive"):
        zipf_fit([3, 0, 1])
    with pytest.raises(ValueError, match="at least 2 ranks"):
        zipf_fit([5, 3], min_rank=2)
    with pytest.raises(ValueError, match="max_rank"):
        zipf_fit([5, 3], max_rank=0)


# ---------------------------------------------------------------- unigram LM


def test_unigram_lm_chain_rule_and_unknown_words():
    lm = UnigramLM.fit("a a a b b c".split(), min_freq=2)
    assert lm.prob("a") == pytest.approx(0.5) and lm.prob("b") == pytest.approx(1 / 3)
    assert lm.prob("c") == lm.prob("never-seen") == pytest.approx(1 / 6)  # both are <unk>
    assert lm.log_prob(["a", "b"]) == pytest.approx(math.log(0.5) + math.log(1 / 3))
    assert lm.log_prob([]) == 0.0
    assert T.perplexity(lm.log_prob(["a", "a"]), 2) == pytest.approx(2.0)


def test_unigram_lm_sampling_is_reproducible_and_follows_the_counts():
    lm = UnigramLM.fit("a a a b".split())
    assert lm.sample(50, seed=3) == lm.sample(50, seed=3)
    draws = Counter(lm.sample(4000, seed=0))
    assert draws["a"] / 4000 == pytest.approx(0.75, abs=0.03)
    assert lm.entropy() == pytest.approx(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    with pytest.raises(ValueError, match="n must be"):
        lm.sample(-1)
    with pytest.raises(ValueError, match="empty"):
        UnigramLM.fit([])


# ---------------------------------------------------------------- segmentation scores and course data


def test_segmentation_scores_count_exact_spans():
    gold = [["我们", "学习", "人工智能"]]
    assert T.segmentation_scores(gold, gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    scores = T.segmentation_scores([["我们", "学习", "人工", "智能"]], gold)
    assert scores["precision"] == pytest.approx(2 / 4) and scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    with pytest.raises(ValueError, match="spell different"):
        T.segmentation_scores([["我"]], [["你"]])
    with pytest.raises(ValueError, match="sentences"):
        T.segmentation_scores([], gold)


def test_jieba_agrees_with_the_peoples_daily_gold_segmentation():
    from aigc_course.data import load_chinese_news

    gold = load_chinese_news("valid", segmented=True)[:300]
    predicted = [zh_segment("".join(words)) for words in gold]
    f1 = T.segmentation_scores(predicted, gold)["f1"]
    assert 0.75 < f1 < 0.95  # jieba and the 1998 annotation guidelines disagree on many compounds


def test_course_sentences_are_chinese_and_about_the_course():
    sentences = T.course_zh_sentences()
    assert len(sentences) >= 25 and all(T._HAN.search(s) for s in sentences)
    assert any("人工智能" in s for s in sentences) and any("职业" in s for s in sentences)


# ---------------------------------------------------------------- tokeniser comparison and its widget


def test_compare_tokenizers_and_its_printout(capsys):
    table = T.compare_tokenizers("Don't 生成式人工智能!")
    assert table["str.split"] == ["Don't", "生成式人工智能!"]
    assert table["word_tokenize"] == ["Do", "n't", "生成式人工智能", "!"]
    assert "".join(table["char_tokenize"]) == "Don't 生成式人工智能!"
    report = T.show_tokenizations("a b")
    assert "word_tokenize (  2): a | b" in report and report in capsys.readouterr().out


def test_tokenizer_playground_redraws_when_the_text_changes(capsys):
    from aigc_course.widgets.text import tokenizer_playground

    box = tokenizer_playground("hello world")  # outside a kernel the Output widget lets prints through
    text_area, lowercase = box.children[0].children
    assert "word_tokenize (  2): hello | world" in capsys.readouterr().out
    text_area.value = "Hello 人工智能"
    assert "word_tokenize (  2): Hello | 人工智能" in capsys.readouterr().out
    lowercase.value = True
    assert "word_tokenize (  2): hello | 人工智能" in capsys.readouterr().out
    with pytest.raises(TypeError, match="text must be a str"):
        tokenizer_playground(3)
