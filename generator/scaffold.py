"""`zhuanlan init DIR`: a new content repository for a department.

Writes site.yaml with every setting explained in Chinese (from the declared
settings, so it never falls behind), the real region list without any key-county
marks (the department adds the official ones), the vocabulary, one example of each
record and page, a CODEOWNERS example, and CI for GitHub Actions and GitLab CI.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .settings import SETTINGS

SKELETON = Path(__file__).resolve().parent / "skeleton"
BUNDLED_SITE = Path(__file__).resolve().parent.parent  # the sample site beside the package


def settings_text() -> str:
    lines = ["# 站点设置：只写数据，不写代码。修改后请运行 zhuanlan check 检查。",
             "# 去掉行首的 # 就启用这一项。", ""]
    for setting in SETTINGS:
        lines.append(f"# {setting.help}")
        if setting.name == "title":
            lines.append(f"{setting.name}: {setting.default}")
        elif setting.kind == "integer":
            lines.append(f"{setting.name}: {setting.default}")
        else:
            lines.append(f"# {setting.name}: ")
        lines.append("")
    return "\n".join(lines)


def regions_text() -> str:
    """The bundled region list with the sample's key-county marks removed."""
    text = (BUNDLED_SITE / "data/regions.yaml").read_text(encoding="utf-8")
    kept = []
    for line in text.split("\n"):
        if line.startswith("# 注意：下面带 key: true") or line.startswith("# 不是官方名单"):
            continue
        if line.startswith("key_counties_note:"):
            line = "key_counties_note: \"请按省乡村振兴局的正式名单，在重点帮扶县一行加上 key: true\""
        kept.append(line.replace(", key: true}", "}"))
    return "\n".join(kept)


def init_repository(target: Path) -> list[str]:
    """Write the new repository into target (missing or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(str(target))
    shutil.copytree(SKELETON, target, dirs_exist_ok=True)
    (target / "site.yaml").write_text(settings_text(), encoding="utf-8")
    (target / "data/regions.yaml").write_text(regions_text(), encoding="utf-8")
    shutil.copyfile(BUNDLED_SITE / "data/vocabulary.yaml", target / "data/vocabulary.yaml")
    return sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
