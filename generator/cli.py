"""The `zhuanlan` command line."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import report
from .cli_match import add_commands as add_match_commands, run_match, run_search
from .messages import render
from .problems import Problem

BUNDLED_SITE = Path(__file__).resolve().parent.parent


def default_site() -> Path:
    """The current folder when it is a content repository, else the bundled sample site."""
    here = Path.cwd()
    return here if (here / "site.yaml").is_file() else BUNDLED_SITE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhuanlan", description="社会组织参与乡村振兴专栏：检查内容、生成静态网站。")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    check = commands.add_parser("check", help="检查内容仓库，列出全部问题（文件:行:列）")
    check.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")
    check.add_argument("--format", choices=("text", "github", "gitlab", "json"), default="text",
                       help="输出格式：text 供阅读，github 供 GitHub 拉取请求标注，gitlab 为 GitLab 代码质量报告，json 供程序读取")
    check.add_argument("--no-cache", action="store_true", help="不使用解析缓存（.zhuanlan-cache）")

    build = commands.add_parser("build", help="检查内容，然后生成整个网站")
    build.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")
    build.add_argument("--output", type=Path, help="输出目录（默认：站点目录下的 output/）")
    build.add_argument("--siteurl", help="发布网址，可含子路径，例如 https://www.example.gov.cn/col/xczx")

    new = commands.add_parser("new", help="新建一条记录的骨架：需求 demand、供给 supply、组织 org、政策 policy")
    new.add_argument("kind", choices=("demand", "supply", "org", "policy"), help="记录类型")
    new.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")
    for flag, text in (("--county", "县区代码"), ("--title", "标题"), ("--field", "领域"), ("--org", "提供组织的代码"),
                       ("--id", "组织的统一社会信用代码"), ("--name", "组织名称"), ("--slug", "政策的文件名")):
        new.add_argument(flag, help=text)

    template = commands.add_parser("template", help="生成 Excel 填报模板（中文表头、下拉列表、填写提示和说明页）")
    template.add_argument("kind", choices=("demand", "supply", "org"), help="模板类型")
    template.add_argument("file", type=Path, help="要写入的 .xlsx 文件")
    template.add_argument("--site", type=Path, help="内容仓库目录（下拉列表取自它的地区表和词表）")

    load = commands.add_parser("import", help="把填好的 Excel 模板导入为记录（默认只预览，加 --write 才写入）")
    load.add_argument("file", type=Path, help="填好的 .xlsx 文件")
    load.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")
    load.add_argument("--write", action="store_true", help="没有错误时写入文件（不加则只显示会有哪些修改）")

    diff = commands.add_parser("diff", help="对比基准版本，生成拉取请求的变化摘要（Markdown）：记录、页面和新的警告")
    diff.add_argument("base", nargs="?", help="基准版本（git 分支、标签或提交；默认：当前分支与 main 的分叉点）")
    diff.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")

    init = commands.add_parser("init", help="新建一个内容仓库（站点设置、地区、词表、示例记录、CODEOWNERS 和 CI）")
    init.add_argument("dir", type=Path, help="新仓库的目录（不存在或为空）")

    serve = commands.add_parser("serve", help="生成网站并在本机预览，保存修改后自动重新生成")
    serve.add_argument("--site", type=Path, help="内容仓库目录（默认：当前目录或自带的示例站点）")
    serve.add_argument("--output", type=Path, help="预览用的输出目录（默认：站点目录下的 output/）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000，只在本机 127.0.0.1 上提供）")
    add_match_commands(commands, "内容仓库目录（默认：当前目录或自带的示例站点）")
    return parser


def print_problems(problems: list[Problem], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt in ("json", "gitlab"):
        print(report.as_json(problems) if fmt == "json" else report.as_gitlab(problems), file=out)
        return
    for problem in problems:
        print(report.as_github(problem) if fmt == "github" else report.as_text(problem), file=out)


def run_check(args) -> int:
    from .site import load_site

    site_dir = args.site or default_site()
    if not site_dir.is_dir():
        print(f"错误：找不到内容仓库目录 {site_dir}。", file=sys.stderr)
        return 2
    _site, problems = load_site(site_dir, use_cache=not args.no_cache)
    ordered = problems.sorted()
    print_problems(ordered, args.format)
    errors = len(problems.errors)
    if args.format == "text":
        print(report.summary(errors, len(problems.warnings)))
    return 1 if errors else 0


def run_build(args) -> int:
    from .build import build_site

    site_dir = args.site or default_site()
    if not site_dir.is_dir():
        print(f"错误：找不到内容仓库目录 {site_dir}。", file=sys.stderr)
        return 2
    output = args.output or site_dir / "output"
    return build_site(site_dir, output, args.siteurl, link_spare_after=True, leave_to_exit=args.process_ends)


def run_new(args) -> int:
    from .newrecord import ask_missing, new_record

    site_dir = args.site or default_site()
    values = {name: getattr(args, name) for name in ("county", "title", "field", "org", "id", "name", "slug")}
    missing = ask_missing(args.kind, values)
    if missing:
        print(f"错误：缺少{'、'.join(missing)}；请用参数给出，例如 zhuanlan new demand --county 371721 "
              f"--title 标题 --field 特殊群体关爱。", file=sys.stderr)
        return 2
    code, message = new_record(site_dir, args.kind, values)
    print(message, file=sys.stderr if code else sys.stdout)
    return code


def run_template(args) -> int:
    from .site import load_site
    from .xlsx_template import write_template

    site, problems = load_site(args.site or default_site())
    if problems.errors:
        print("错误：内容仓库有问题，请先运行 zhuanlan check 改正。", file=sys.stderr)
        return 1
    write_template(site, args.kind, args.file)
    print(f"已生成模板 {args.file}")
    return 0


def run_import(args) -> int:
    from .importer import import_workbook

    site_dir = args.site or default_site()
    if not args.file.is_file():
        print(f"错误：找不到表格文件 {args.file}。", file=sys.stderr)
        return 2
    return import_workbook(site_dir, args.file, args.write, sys.stdout)


def run_diff(args) -> int:
    from .prdiff import run_diff as diff

    return diff(args.site or default_site(), args.base, sys.stdout)


def run_init(args) -> int:
    from .scaffold import init_repository

    try:
        files = init_repository(args.dir)
    except FileExistsError:
        print(f"错误：{args.dir} 已存在且不是空目录；请换一个新目录。", file=sys.stderr)
        return 2
    print(f"已新建内容仓库 {args.dir}，共 {len(files)} 个文件：")
    for name in files:
        print(f"  {name}")
    print("下一步：修改 site.yaml，在 data/regions.yaml 中标注重点帮扶县，把示例记录换成真实内容，"
          "然后运行 zhuanlan check。")
    return 0


def run_serve(args) -> int:
    from .serve import serve

    site_dir = args.site or default_site()
    if not site_dir.is_dir():
        print(f"错误：找不到内容仓库目录 {site_dir}。", file=sys.stderr)
        return 2
    return serve(site_dir, args.output or site_dir / "output", args.port)


def entry() -> None:
    """The `zhuanlan` command: main(), then the process ends at once. A build leaves what
    it made (40,000 records, seals of 140,000 entries) to the end of the process instead of
    freeing it object by object, and nothing is torn down: 0.3-0.4 s of an edit's build of
    the provincial site. Everything written is closed by then; the streams are flushed."""
    code = main(process_ends=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None, process_ends: bool = False) -> int:
    """Run a command (`process_ends`: the process ends right after, see entry())."""
    args = _parser().parse_args(argv)
    args.process_ends = process_ends
    handler = {"check": run_check, "build": run_build, "serve": run_serve, "init": run_init,
               "new": run_new, "template": run_template, "import": run_import, "diff": run_diff,
               "match": run_match, "search": run_search}[args.command]
    if args.command in ("match", "search"):
        args.site = args.site or default_site()
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: an editor never sees a traceback
        if os.environ.get("ZHUANLAN_DEBUG"):
            raise
        _level, message, hint = render(
            "E901", detail=f"{type(exc).__name__}: {exc}")
        print(f"错误: {message} 改法：{hint} [E901]", file=sys.stderr)
        return 3
