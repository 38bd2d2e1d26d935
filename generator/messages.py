"""The catalogue of every problem the checker can report, in Chinese.

Each entry: code -> (level, message template, hint template). Templates use
str.format fields. Every code is explained in docs/errors.md (a test checks it).
"""
from __future__ import annotations

E, W = "error", "warning"

CATALOGUE: dict[str, tuple[str, str, str]] = {
    # --- files and YAML ---------------------------------------------------
    "E101": (E, "文件太大（{size}），单个文件不能超过 2 MiB。",
             "把记录拆到几个文件里，例如 data/projects/ 下每个县区一个文件。"),
    "E102": (E, "文件不是 UTF-8 编码{guess}，第一个无法识别的字节在这里。",
             "用记事本或 WPS 打开后“另存为”，编码选择“UTF-8”，再提交。"),
    "E103": (E, "YAML 格式错误：{detail}。",
             "检查这一行和上一行：缩进是否对齐、冒号后是否有空格、引号和括号是否成对。"),
    "E104": (E, "这一行用了 Tab（制表符）缩进，YAML 只能用空格缩进。",
             "把行首的 Tab 换成空格（每一级缩进两个空格）。"),
    "E105": (E, "字段「{key}」重复出现，第一次在第 {first_line} 行第 {first_col} 列。",
             "删去其中一个，或把两处的内容合并成一个。"),
    "E106": (E, "不支持 YAML 锚点和别名（{token}）。",
             "去掉 & 和 * 记号，把要重复的内容完整写出来。"),
    "E107": (E, "不支持 YAML 标签「{tag}」。",
             "去掉以 ! 开头的标签，直接写值。"),
    "E108": (E, "一个文件里只能有一份 YAML 内容，这里出现了第二份（--- 或 ... 分隔）。",
             "删去多余的 --- 行，或把内容拆到两个文件里。"),
    "E109": (E, "Markdown 文件开头缺少 YAML 头信息。",
             "在文件第一行写 ---，接着写 title: 等字段，再用一行 --- 结束头信息，后面是正文。"),
    "E110": (E, "YAML 头信息没有结束：找不到结束的 --- 行。",
             "在头信息最后一个字段后面加一行 ---。"),
    "E111": (E, "缺少必需的文件 {name}。",
             "从示例站点复制一份 {name}，再按本地情况修改。"),
    "E112": (E, "无法读取这个文件：{reason}。",
             "确认文件存在、是普通文件且有读取权限。"),
    "E113": (E, "文件名「{name}」不能用作网址。",
             "文件名只用小写字母 a-z、数字和连字符 -，例如 rural-plan-2025.md。"),
    "E114": (E, "文件内容应为{expected}，这里是{actual}。",
             "{shape_hint}"),
    # --- fields -----------------------------------------------------------
    "E115": (E, "找不到「{field}」指定的文件「{value}」{why}。",
             "把主管部门提供的 HTML 片段放在站点目录内（例如 portal/header.html），并写它相对站点目录的路径。"),
    "E201": (E, "缺少必填字段「{field}」（{label}）。",
             "在这条记录里加上一行 {field}: …"),
    "E202": (E, "不认识的字段「{field}」{suggestion}。",
             "检查拼写。这里可以用的字段有：{allowed}。"),
    "E203": (E, "「{field}」应为{expected}，这里是{actual}。",
             "{type_hint}"),
    "E204": (E, "「{field}」的值「{value}」不是有效的日期{why}。",
             "日期写成 年-月-日，例如 2025-03-01，并且必须是真实存在的日期。"),
    "E205": (E, "「{field}」的值「{value}」不在{vocabulary}中{suggestion}。",
             "可选的值有：{choices}。"),
    "E206": (E, "编号「{value}」不能用作网址：{why}。",
             "只用小写字母 a-z、数字 0-9 和连字符 -，以字母或数字开头和结尾，最长 64 个字符，例如 d-371721-2025-001。"),
    "E207": (E, "编号「{value}」重复了，另一处在 {other}。",
             "每条记录的编号必须唯一：给其中一条换一个编号。"),
    "E208": (E, "「{field}」引用的{what}「{value}」不存在。",
             "{ref_hint}"),
    "E209": (E, "地区代码「{value}」不是 6 位半角数字{extra}。",
             "地区代码写成加引号的 6 位半角数字，例如 \"371721\"。"),
    "E210": (E, "统一社会信用代码「{value}」{why}。",
             "对照登记证书逐位核对代码（18 位，不含字母 I、O、S、V、Z）。"),
    "E211": (E, "状态为「{status}」的需求必须写明承接的社会组织（matched_orgs）。",
             "加上 matched_orgs: [承接组织的统一社会信用代码]；还没有承接方的，状态写 open。"),
    "E212": (E, "「{later}」（{later_value}）早于「{earlier}」（{earlier_value}）。",
             "核对两个日期：{later} 不能早于 {earlier}。"),
    "E213": (E, "「{field}」的值「{value}」不是有效的网址。",
             "网址以 http:// 或 https:// 开头，例如 https://www.example.org/page.html。"),
    "E214": (E, "「{field}」应为金额数字（单位：元），这里是「{value}」。",
             "只写阿拉伯数字，不写单位和逗号，例如十五万元写作 150000。"),
    "E215": (E, "「{field}」不能为空。",
             "填写内容，或者删去这一行（仅限选填字段）。"),
    "E216": (E, "「{field}」应为{expected}的代码，「{value}」（{name}）是{actual}。",
             "{level_hint}"),
    "E217": (E, "地区代码「{value}」与所属{parent}「{parent_code}」不一致：{why}。",
             "核对 GB/T 2260 区划代码：县区代码的前 4 位与所属市相同，市的代码以 00 结尾。"),
    "E218": (E, "地区代码「{value}」重复了，另一处在 {other}。",
             "每个地区只写一次。"),
    "E219": (E, "「{field}」里「{value}」写了不止一次。",
             "删去重复的一项。"),
    "E220": (E, "site.yaml 中不认识的设置「{field}」{suggestion}。",
             "检查拼写。可用的设置见 README 的“站点设置”一节：{allowed}。"),
    "W221": (W, "统一社会信用代码「{value}」的第 2 位是「{digit}」，与组织类型「{type}」不符（应为 {expected}）。",
             "核对代码或组织类型：社会团体为 1，社会服务机构为 2，基金会为 3。"),
    "W222": (W, "状态为「{status}」，但写了承接组织 matched_orgs。",
             "已有组织承接的，把状态改为 matched；否则删去 matched_orgs。"),
    "W223": (W, "这个需求与同一县区的需求「{other}」（{where}）几乎相同（标题和摘要 {percent}% 相同），可能重复录入了。",
             "如果是同一个需求，删去较新的这一条；如果确是两个不同的需求，在标题或摘要中写明区别。"),
    # --- text and private data ----------------------------------------------
    "E301": (E, "文字中有看不见的{name}（常由复制粘贴带入）。",
             "把光标移到这个位置删掉它，必要时重新输入前后几个字。"),
    "E302": (E, "这里像是居民身份证号（{masked}），不能公开个人身份信息。",
             "删去身份证号；需要联系时只写单位办公电话。"),
    "E303": (E, "这里像是私人手机号码（{masked}），不能公开个人联系方式。",
             "删去它；若确为单位对外公开的办公电话，写在 phone 字段并在同一处加上 office_line: true。"),
    "E304": (E, "这里像是银行卡号（{masked}），不能公开。",
             "删去银行卡号；捐赠渠道请写单位对公账户的公开说明页面链接。"),
    "E305": (E, "图片缺少替代文字（alt），读屏软件无法告诉视障读者图片的内容。",
             "在方括号里写上图片说明，例如 ![村级互助养老服务站外景](photo.jpg)；HTML 图片写 alt=\"说明\"。"),
    # --- the tool itself ----------------------------------------------------
    "E901": (E, "检查程序内部出错（{detail}），这不是内容的问题。",
             "请把这条信息和出错的文件发给技术支持人员。"),
}


def render(code: str, **values) -> tuple[str, str, str]:
    """Return (level, message, hint) for a catalogue code filled with values."""
    level, message, hint = CATALOGUE[code]
    return level, message.format(**values), hint.format(**values)
