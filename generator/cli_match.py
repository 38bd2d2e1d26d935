"""`zhuanlan match ID` and `zhuanlan search QUERY`: the match index and the text
search for editors, printed in Chinese."""
from __future__ import annotations

import sys
from pathlib import Path

from .projects import takes_candidates
from .vocabulary import DEMAND_STATUSES, SUPPLY_STATUSES

STATUS = {"demand": DEMAND_STATUSES, "supply": SUPPLY_STATUSES}


def add_commands(commands, site_help: str) -> None:
    match = commands.add_parser("match", help="列出一个需求的推荐供给和组织（或一个组织、供给项目适合的需求），含得分和理由")
    match.add_argument("id", help="需求或供给项目的编号，或社会组织的统一社会信用代码")
    match.add_argument("--site", type=Path, help=site_help)
    search = commands.add_parser("search", help="按文字查找需求、供给和社会组织（供编辑使用）")
    search.add_argument("query", nargs="+", help="要查找的文字，例如：互助养老 护理员")
    search.add_argument("--site", type=Path, help=site_help)
    search.add_argument("--kind", choices=("demand", "supply", "org"), help="只查需求 demand、供给 supply 或组织 org")
    search.add_argument("--region", help="地区代码：只查这个地区的需求，或服务范围覆盖它的供给和组织")
    search.add_argument("--field", help="领域（中文名或英文短名）")
    search.add_argument("--status", help="状态代码，例如 open")
    search.add_argument("--limit", type=int, default=10, help="最多显示几条（默认 10）")


def _load(args):
    from .site import load_site
    site, problems = load_site(args.site)
    if problems.errors:
        print("错误：内容仓库有问题，请先运行 zhuanlan check 改正。", file=sys.stderr)
        return None
    return site


def _place(record) -> str:
    node = record.node.get("id") if record.node is not None else None
    return f"{record.path}:{node.line}" if node is not None else record.path


def _print_list(title: str, items: list[dict], name_of) -> None:
    print(f"\n{title}（{len(items)} 条）：")
    if not items:
        print("  （没有）")
    for number, item in enumerate(items, 1):
        print(f"  {number}. {name_of(item['id'])}  {item['id']}  得分 {item['score']}")
        print(f"     理由：{' · '.join(r['text'] for r in item['reasons'])}")


def run_match(args) -> int:
    from .build import reference_date
    from .matchindex import match_site

    site = _load(args)
    if site is None:
        return 1
    today = reference_date(site)
    index = match_site(site, today)
    key = args.id.strip()
    project = site.projects.get(key)
    org = site.organizations.get(key)
    title_of = lambda ident: site.projects[ident].title if ident in site.projects else ident  # noqa: E731
    name_of = lambda ident: site.organizations[ident].name if ident in site.organizations else ident  # noqa: E731
    w = index.weights
    rule = (f"评分：领域相同 {w.field} 分 + 帮扶方式 最多 {w.forms} 分 + 共同关键词 最多 {w.text} 分 + 服务范围写明县区 "
            f"{w.county} 分（写明所在市 {w.city} 分）；达到 {w.min_score} 分才推荐，每项最多 {w.count} 条。")
    if project is not None and project.kind == "demand":
        print(f"需求：{project.title}（{key}，{_place(project)}）")
        if project.matched_orgs:
            print("承接组织：" + "、".join(f"{name_of(o)}（{o}）" for o in project.matched_orgs))
        if key not in index.demand_offers:
            why = (f"状态为「{DEMAND_STATUSES.get(project.status, project.status)}」" if not takes_candidates(project)
                   else f"已过截止日期 {project.deadline}（基准日期 {today}）")
            print(f"这个需求{why}，不再推荐对接。")
            return 0
        print(rule)
        _print_list("推荐的供给项目", index.demand_offers[key], title_of)
        _print_list("推荐的社会组织", index.demand_orgs.get(key, []), name_of)
        return 0
    if project is not None:
        print(f"供给项目：{project.title}（{key}，{_place(project)}）")
        if key not in index.offer_demands:
            print(f"这个供给项目状态为「{SUPPLY_STATUSES.get(project.status, project.status)}」或已过截止日期，不参与推荐。")
            return 0
        print(rule)
        _print_list("适合的需求（重点帮扶县在前）", index.offer_demands[key], title_of)
        return 0
    if org is not None:
        print(f"社会组织：{org.name}（{key}，{_place(org)}）")
        print(rule)
        _print_list("适合的需求（重点帮扶县在前）", index.org_demands.get(key, []), title_of)
        return 0
    print(f"错误：找不到编号为「{key}」的需求、供给项目或社会组织。用 zhuanlan search 按文字查找编号。", file=sys.stderr)
    return 2


def run_search(args) -> int:
    from .textsearch import KIND_NAMES, search_site

    site = _load(args)
    if site is None:
        return 1
    field = site.vocabulary.field_choices.get(args.field) if args.field else None  # a slug or a name
    if args.field and field is None:
        names = "、".join(f.name for f in site.vocabulary.fields)
        print(f"错误：领域「{args.field}」不在词表中；可选：{names}。", file=sys.stderr)
        return 2
    if args.region and site.regions.get(args.region) is None:
        print(f"错误：地区代码「{args.region}」不在 data/regions.yaml 中。", file=sys.stderr)
        return 2
    text = " ".join(args.query)
    found, total = search_site(site, text, args.kind, args.region, field, args.status, max(1, args.limit))
    if not found:
        print(f"没有找到与「{text}」相关的记录。")
        return 0
    print(f"与「{text}」相关的记录共 {total} 条，按相关度显示前 {len(found)} 条：")
    for number, one in enumerate(found, 1):
        record = one.record
        title = record.name if one.kind == "org" else record.title
        status = STATUS.get(one.kind, {}).get(getattr(record, "status", None) or "", "")
        print(f"{number}. [{KIND_NAMES[one.kind]}] {title}  {record.id}" + (f"  {status}" if status else ""))
        print(f"   {_place(record)}  得分 {one.score:.2f}  共同关键词：{'、'.join(one.shared[:5]) or '（无）'}")
    return 0
