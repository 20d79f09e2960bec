"""The simulated bank: its shape (units, grades, seasons, fictional names), the roster,
where managers sit month by month, violations and planted defects, and the monthly
performance, targets and scores. Nothing here writes a file (see samplebank.export)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from samplebank.contract import Contract, load_contract

DEFAULT_MANAGERS = 200
DEFAULT_UNITS = 48
DEFAULT_PERIODS = 24
DEFAULT_SEED = 20261123
DEFAULT_END = "2026-10"

# The bundled sample's defects, as `generate()` plants them with the default arguments
# (tests/test_sample.py checks this list against `planted_defects()`). Other
# arguments plant the same six rules at other places: see the README.md written next
# to the data, or call `planted_defects(...)`.
PLANTED_DEFECTS: list[dict[str, str]] = [
    {"period": "2025-05", "file": "performance.csv", "manager_id": "000230",
     "rule": "duplicate_row",
     "description": "客户经理 000230 的业绩行出现两次（完全相同） / "
                    "the row of manager 000230 appears twice, identical"},
    {"period": "2025-05", "file": "performance.csv", "manager_id": "000253",
     "rule": "unknown_unit",
     "description": "所属机构编号 019901 不在 units.csv 中（已撤并机构） / "
                    "unit 019901 is not in units.csv (a closed unit)"},
    {"period": "2025-11", "file": "targets.csv", "manager_id": "000324",
     "rule": "missing_target",
     "description": "客户经理 000324 有业绩行但 targets.csv 中没有目标行 / "
                    "manager 000324 has a performance row but no targets row"},
    {"period": "2025-11", "file": "performance.csv", "manager_id": "000219",
     "rule": "manager_in_two_units",
     "description": "客户经理 000219 同期出现在 01010103 和 01030401 两个机构 / "
                    "manager 000219 is listed under units 01010103 and 01030401 in the same period"},
    {"period": "2026-05", "file": "performance.csv", "manager_id": "000117",
     "rule": "negative_value",
     "description": "日均存款余额 为负数 / "
                    "日均存款余额 (average daily deposits) is negative"},
    {"period": "2026-05", "file": "performance.csv", "manager_id": "000194",
     "rule": "not_a_number",
     "description": '贷款余额 为 "--"，不是数字 / '
                    '贷款余额 (loan balance) is "--", not a number'},
]

# ---------------------------------------------------------------------------------
# The bank's shape
# ---------------------------------------------------------------------------------
UNIT_LEVELS = ("省分行", "市分行", "支行", "网点")
PROVINCE, CITY, SUB_BRANCH, OUTLET = range(4)

SEGMENTS = ("公司", "个人", "机构", "小微")
CORPORATE, PERSONAL, INSTITUTIONAL, SMALL_BUSINESS = range(4)


@dataclass(frozen=True)
class SegmentProfile:
    """How the book of a typical 客户经理-grade manager of one customer segment looks."""

    share: float                 # of all managers
    deposits: float              # median deposit book, 万元
    loans_per_deposit: float     # loan book relative to the deposit book
    no_loan_share: float         # managers of the segment who hold no loans at all
    loan_turnover: float         # share of the loan book newly granted in a month
    large_deposit_chance: float  # chance of at least one large deposit in a month
    fee_rate: float              # monthly fee income per 万元 of deposits
    npl_level: float             # typical NPL ratio of a book with problem loans, %
    npl_cap: float               # the NPL ratio target (a maximum), %
    payroll_accounts: float      # payroll households maintained
    new_accounts: float          # per month
    ebank_signups: float         # per month
    credit_cards: float          # per month
    levels: tuple[float, float, float]  # chance to sit at city / sub-branch / outlet


SEGMENT_PROFILES = (
    # Corporate and institutional books are large and sit at sub-branches, where the
    # corporate departments are; personal and small-business managers work outlets.
    SegmentProfile(0.30, 26000, 0.90, 0.05, 0.07, 0.55, 0.0004, 1.2, 2.0, 260, 4, 4, 1.0,
                   (0.08, 0.77, 0.15)),
    SegmentProfile(0.45, 5200, 0.35, 0.20, 0.03, 0.25, 0.0007, 0.7, 1.5, 25, 26, 18, 12,
                   (0.00, 0.15, 0.85)),
    SegmentProfile(0.10, 42000, 0.08, 0.60, 0.04, 0.60, 0.0002, 0.6, 1.5, 480, 3, 2, 1.0,
                   (0.10, 0.75, 0.15)),
    SegmentProfile(0.15, 3800, 1.10, 0.05, 0.10, 0.30, 0.0005, 1.8, 3.0, 35, 9, 7, 3.0,
                   (0.00, 0.15, 0.85)),
)

PRODUCT_LINES = ("综合", "存款", "贷款", "银行卡", "理财", "电子银行", "国际业务")
PRODUCT_LINE_SHARES = (0.78, 0.05, 0.05, 0.03, 0.04, 0.03, 0.02)
# Product managers of these lines sell no credit, so they hold no loan book.
LINES_WITHOUT_LOANS = frozenset({"存款", "银行卡", "理财", "电子银行"})
# Product lines push their own indicator: (indicator id, product line) -> multiplier.
PRODUCT_LINE_BOOST = {
    ("fee_income", "理财"): 2.5, ("fee_income", "国际业务"): 2.0, ("fee_income", "银行卡"): 1.5,
    ("ebank_signups", "电子银行"): 3.0, ("credit_cards", "银行卡"): 3.0,
    ("new_accounts", "存款"): 1.3, ("new_loans", "贷款"): 1.3,
}

GRADES = ("资深客户经理", "高级客户经理", "客户经理", "客户经理助理")
GRADE_SHARES = (0.08, 0.22, 0.45, 0.25)   # a pyramid
GRADE_BOOK_SIZE = (2.2, 1.5, 1.0, 0.55)   # senior managers are given the big customers
ASSISTANT = 3

EDUCATIONS = ("博士", "硕士", "本科", "大专")
EDUCATION_SHARES = (0.02, 0.22, 0.64, 0.12)
EDUCATION_GRADE_BONUS = (0.5, 0.3, 0.0, -0.3)

TITLES = ("高级经济师", "经济师", "助理经济师", "无")
TITLE_SHARES_BY_GRADE = (
    (0.40, 0.55, 0.05, 0.00),
    (0.08, 0.60, 0.25, 0.07),
    (0.00, 0.30, 0.45, 0.25),
    (0.00, 0.05, 0.25, 0.70),
)

STATUSES = ("在岗", "试用", "停职", "离职")
ACTIVE, PROBATION, SUSPENDED, LEFT = range(4)
PROBATION_MONTHS = 6

HISTORY_MONTHS = 12         # simulated before the window: the first year's targets need last year
YEARLY_HIRE_RATE = 0.07
YEARLY_LEAVE_RATE = 0.05
TRANSFER_SHARE = 0.05
BOOK_KEPT_ON_TRANSFER = 0.85  # part of the customers stay with the old unit
BOOK_SPREAD = 1.3             # lognormal sigma of book sizes within a segment and grade
NEW_HIRE_START = 0.30         # a new hire inherits this share of a full book (a leaver's)...
RAMP_UP_MONTHS = 8.0          # ...and builds it up on this time scale
LARGE_DEPOSIT_MINIMUM = 50.0  # 万元: smaller inflows are not "large deposits"

# Month-of-year factors (index 0 = January). Deposits peak in the Q1 开门红 campaign and
# spike at quarter ends, when branches pull money in for the balance-sheet date; the
# daily average moves far less than the period-end figure.
DEPOSIT_END_SEASON = (1.04, 1.05, 1.09, 0.99, 1.00, 1.06, 0.99, 1.00, 1.05, 0.97, 0.99, 1.04)
DEPOSIT_AVG_SEASON = (1.03, 1.04, 1.05, 1.01, 1.00, 1.02, 1.00, 1.00, 1.02, 0.99, 0.99, 1.01)
LARGE_DEPOSIT_SEASON = (1.8, 1.4, 2.0, 1.0, 1.0, 1.4, 1.0, 1.0, 1.3, 0.9, 1.0, 1.4)
# Credit is granted early in the year and partly repaid before the year-end.
LOAN_SEASON = (1.02, 1.03, 1.05, 1.04, 1.04, 1.05, 1.04, 1.04, 1.04, 1.03, 1.02, 1.00)
NEW_LOAN_SEASON = (2.2, 1.3, 1.9, 1.0, 1.0, 1.3, 1.0, 0.9, 1.2, 0.9, 0.9, 0.6)
FEE_SEASON = (1.2, 0.9, 1.4, 0.9, 1.0, 1.4, 0.9, 1.0, 1.3, 0.9, 1.0, 1.5)
SALES_SEASON = (1.5, 1.0, 1.4, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 0.9, 1.0, 1.1)
PAYROLL_SEASON = (1.02, 1.02, 1.03, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00)
# Banks dispose of and write off bad loans before the half-year and year-end reports.
NPL_SEASON = (1.05, 1.05, 1.00, 1.02, 1.02, 0.92, 1.00, 1.02, 0.98, 1.00, 1.02, 0.85)

TARGET_GROWTH_PERCENT = (5, 15)     # yearly target growth over last year's actual
NPL_CAP_LOOSENING = (0.0, 0.5)      # some managers' NPL cap is half a point looser
NPL_MAXIMUM = 6.0

# Violations: ~1 per 100 manager-years at scale, but the bundled sample shows exactly
# the two kinds the grading rules distinguish.
SHOWCASE_MINOR = ("客户资料不完整", 5, "否", "对公客户开户资料缺少法定代表人授权书，已责令补正")
SHOWCASE_ASSET_LOSS = ("违规发放贷款造成资产损失", 20, "是",
                       "未落实贷前调查发放贷款，借款人逾期形成不良，造成资产损失")
OTHER_VIOLATIONS = (  # (type, penalty, disqualifies, note, weight)
    ("客户资料不完整", 3, "否", "个人客户身份资料未及时更新", 0.30),
    ("未按规定开展贷后检查", 5, "否", "贷后检查报告逾期未提交", 0.35),
    ("违规代客办理业务", 10, "否", "代客户填写业务凭证", 0.20),
    ("违规发放贷款造成资产损失", 20, "是", "贷款审查不严造成资产损失", 0.10),
    ("违反廉洁从业规定", 30, "是", "接受客户宴请", 0.05),
)
VIOLATIONS_PER_MANAGER_YEAR = 0.01
VIOLATION_FREE_MANAGER_YEARS = 500  # below this, only the two showcase violations

# Defects a loader must report: (position in the window as a share of it, rule).
# Spread over three periods, never the last, so the newest period stays clean.
DEFECT_LAYOUT = (
    (0.25, "duplicate_row"),
    (0.25, "unknown_unit"),
    (0.50, "missing_target"),
    (0.50, "manager_in_two_units"),
    (0.75, "negative_value"),
    (0.75, "not_a_number"),
)
NOT_A_NUMBER_TEXT = "--"

# Random streams, one per concern (see the package docstring).
STREAM_UNITS, STREAM_ROSTER, STREAM_PLACEMENT, STREAM_EVENTS = 1, 2, 3, 4
STREAM_DEFECTS, STREAM_PERFORMANCE, STREAM_TARGETS, STREAM_SCORES, STREAM_EXPORT = 5, 6, 7, 8, 9

# ---------------------------------------------------------------------------------
# Fictional names
# ---------------------------------------------------------------------------------
CITY_STEMS = (
    "江城", "云州", "青岚", "临波", "望川", "梅溪", "枫桥", "石泉", "清河", "安澜",
    "兴原", "长宁", "丰泽", "嘉禾", "瑞川", "碧水", "金沙", "玉屏", "龙湾", "凤岭",
    "鹤洲", "雁塔", "桐乡", "柳营", "荷塘", "松阳", "竹溪", "桂林", "白沙", "红岩",
)
DISTRICT_STEMS = (
    "东湖", "西城", "南门", "北苑", "城关", "新区", "高新", "开发区", "滨江", "江北",
    "江南", "河西", "河东", "老城", "新城", "站前", "港区", "湖滨", "山前", "桥南",
    "桥北", "花园", "工业园", "经开", "临港", "大学城", "金融街", "中心", "钟楼", "鼓楼",
)
ROAD_STEMS = (
    "人民路", "解放路", "中山路", "建设路", "文化路", "胜利路", "和平路", "新华路", "长江路",
    "黄河路", "朝阳路", "光明路", "幸福路", "团结路", "青年路", "五一路", "复兴路", "民主路",
    "迎宾路", "学府路", "公园路", "滨河路", "东风路", "红旗路", "健康路", "振兴路", "友谊路",
    "花园街", "府前街", "新街口",
)
SURNAMES = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱",
    "严", "武", "戴", "莫", "孔", "向", "汤", "欧阳", "司马", "上官",
)
MALE_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "建",
    "国", "志", "文", "海", "峰", "东", "亮", "成", "晨", "嘉",
)
FEMALE_GIVEN = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "燕", "玲", "丹", "萍", "红", "婷",
    "雪", "琳", "颖", "倩", "洁", "慧", "莉", "梅", "晶", "欣", "悦", "琪", "佳", "月", "璐",
    "萱", "怡", "婧", "雯", "晓", "思", "雨", "春", "文", "嘉",
)

# GB 11643 (resident ID number): weights and check characters of the 18th digit.
ID_CARD_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CARD_CHECK_CHARS = "10X98765432"
FAKE_ID_CARD_REGION = "99"   # no province has code 99: obviously fake, still well-formed
FAKE_PHONE_PREFIX = "100"    # an unallocated mobile prefix


# =================================================================================
# Calendar
# =================================================================================
@dataclass(frozen=True)
class Calendar:
    """Simulated months: HISTORY_MONTHS before the window, then the window's periods."""

    first_month: np.datetime64   # datetime64[M]
    periods: int

    @property
    def months(self) -> int:
        return HISTORY_MONTHS + self.periods

    @property
    def window_start(self) -> np.datetime64:
        return self.first_month + HISTORY_MONTHS

    @property
    def end_month(self) -> np.datetime64:
        return self.first_month + (self.months - 1)

    @property
    def extract_day(self) -> np.datetime64:
        """The day the roster was extracted: the last day of the last period."""
        return (self.end_month + 1).astype("datetime64[D]") - 1

    @property
    def month_of_year(self) -> np.ndarray:
        """0 = January, for every simulated month."""
        months = self.first_month + np.arange(self.months)
        return months.astype(np.int64) % 12

    def period_labels(self) -> list[tuple[int, int]]:
        months = (self.window_start + np.arange(self.periods)).astype(np.int64)
        return [(int(m // 12) + 1970, int(m % 12) + 1) for m in months]

    def month_index(self, days: np.ndarray) -> np.ndarray:
        """Simulated-month index of each date (negative before the history starts)."""
        return (days.astype("datetime64[M]") - self.first_month).astype(np.int64)


def _make_calendar(end: str, periods: int) -> Calendar:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end):
        raise ValueError(f"--end must look like 2026-10, got {end!r}")
    end_month = np.datetime64(end, "M")
    return Calendar(first_month=end_month - (HISTORY_MONTHS + periods - 1), periods=periods)


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([stream, seed]))


# =================================================================================
# Org-unit tree
# =================================================================================
@dataclass(frozen=True)
class UnitTree:
    ids: list[str]
    names: list[str]
    parent_ids: list[str]
    levels: np.ndarray   # PROVINCE .. OUTLET per unit

    def units_at(self, level: int) -> np.ndarray:
        return np.flatnonzero(self.levels == level)


def _build_units(total: int, bank_name: str, rng: np.random.Generator) -> UnitTree:
    # Cities grow with the square root of the network (4 at 48 units, ~22 at 1,500);
    # about a quarter of the rest are sub-branches, the others outlets.
    cities = max(1, round(math.sqrt(total / 3)))
    below_cities = total - 1 - cities
    sub_branches = max(cities, round(below_cities * 0.28))
    outlets = below_cities - sub_branches
    subs_per_city = _spread(sub_branches, cities, rng)
    outlets_per_sub = _spread(outlets, sub_branches, rng)

    city_width = max(2, len(str(cities)))
    sub_width = max(2, len(str(subs_per_city.max())))
    outlet_width = max(2, len(str(outlets_per_sub.max()))) if outlets else 2
    city_stems = _shuffled_names(CITY_STEMS, cities, rng, lambda k: f"第{k}")

    ids, names, parents, levels = [], [], [], []

    def add(unit_id: str, name: str, parent_id: str, level: int) -> None:
        ids.append(unit_id)
        names.append(name)
        parents.append(parent_id)
        levels.append(level)

    province_id = "01" + "0" * city_width
    add(province_id, bank_name, "", PROVINCE)
    sub_branch_no = 0  # over the whole tree, to look up its outlet count
    for city_no, city_stem in enumerate(city_stems, start=1):
        city_id = f"01{city_no:0{city_width}d}"
        add(city_id, f"{city_stem}市分行", province_id, CITY)
        districts = _shuffled_names(DISTRICT_STEMS, subs_per_city[city_no - 1], rng,
                                    lambda k: f"第{k}")
        for sub_no, district in enumerate(districts, start=1):
            sub_id = f"{city_id}{sub_no:0{sub_width}d}"
            sub_stem = f"{city_stem}{district}"
            add(sub_id, f"{sub_stem}支行", city_id, SUB_BRANCH)
            roads = _shuffled_names(ROAD_STEMS, outlets_per_sub[sub_branch_no], rng,
                                    lambda k: f"{k}号")
            for outlet_no, road in enumerate(roads, start=1):
                add(f"{sub_id}{outlet_no:0{outlet_width}d}", f"{sub_stem}{road}网点", sub_id,
                    OUTLET)
            sub_branch_no += 1
    if len(set(ids)) != len(ids) or len(set(names)) != len(names):
        raise AssertionError("unit IDs and names must be unique")
    return UnitTree(ids, names, parents, np.array(levels))


def _spread(total: int, bins: int, rng: np.random.Generator) -> np.ndarray:
    """Split `total` over `bins` unevenly, at least one each when there are enough."""
    minimum = 1 if total >= bins else 0
    weights = rng.gamma(3.0, size=bins)
    return minimum + rng.multinomial(total - minimum * bins, weights / weights.sum())


def _shuffled_names(stems: Sequence[str], count: int, rng: np.random.Generator,
                    numbered) -> list[str]:
    """`count` names from `stems` in a seeded order, numbered names once they run out."""
    order = rng.permutation(len(stems))
    names = [stems[i] for i in order[:count]]
    return names + [numbered(k) for k in range(len(names) + 1, count + 1)]


# =================================================================================
# Manager roster
# =================================================================================
@dataclass(frozen=True)
class Roster:
    ids: np.ndarray            # object array of "000123"-style strings, ascending
    names: np.ndarray          # object array
    genders: np.ndarray        # 0 male, 1 female
    id_cards: list[str]
    phones: list[str]
    hire_days: np.ndarray      # datetime64[D]
    leave_days: np.ndarray     # datetime64[D], NaT unless left
    education: np.ndarray
    titles: np.ndarray
    credit_years: np.ndarray
    segments: np.ndarray
    product_lines: np.ndarray
    grades: np.ndarray
    statuses: np.ndarray
    has_loans: np.ndarray      # bool
    hire_month: np.ndarray     # simulated-month index
    leave_month: np.ndarray    # simulated-month index, past the end unless left

    def __len__(self) -> int:
        return len(self.ids)


def _build_roster(count: int, calendar: Calendar, rng: np.random.Generator) -> Roster:
    hire_days = np.sort(_draw_hire_days(count, calendar, rng))
    leave_days = _draw_leave_days(hire_days, calendar, rng)
    tenure_years = (calendar.extract_day - hire_days).astype(np.int64) / 365.25
    genders = (rng.random(count) < 0.48).astype(np.int64)
    birth_days = _draw_birth_days(hire_days, tenure_years, rng)
    education = rng.choice(len(EDUCATIONS), size=count, p=EDUCATION_SHARES)
    grades = _draw_grades(tenure_years, education, rng)
    segments = rng.choice(len(SEGMENTS), size=count,
                          p=[profile.share for profile in SEGMENT_PROFILES])
    product_lines = rng.choice(len(PRODUCT_LINES), size=count, p=PRODUCT_LINE_SHARES)
    no_loan_share = np.array([profile.no_loan_share for profile in SEGMENT_PROFILES])
    lines_without_loans = [PRODUCT_LINES.index(line) for line in sorted(LINES_WITHOUT_LOANS)]
    has_loans = ~np.isin(product_lines, lines_without_loans) & (
        rng.random(count) >= no_loan_share[segments])
    credit_years = (np.floor(tenure_years * rng.uniform(0.5, 1.0, count))
                    + rng.poisson(0.6, count)).astype(np.int64)
    return Roster(
        ids=np.array(_draw_manager_ids(count, rng), dtype=object),
        names=np.array(_draw_names(genders, rng), dtype=object),
        genders=genders,
        id_cards=_draw_id_cards(birth_days, genders, rng),
        phones=[f"{FAKE_PHONE_PREFIX}{n:08d}" for n in rng.integers(0, 10**8, count).tolist()],
        hire_days=hire_days,
        leave_days=leave_days,
        education=education,
        titles=_draw_titles(grades, rng),
        credit_years=credit_years,
        segments=segments,
        product_lines=product_lines,
        grades=grades,
        statuses=_draw_statuses(hire_days, leave_days, calendar, rng),
        has_loans=has_loans,
        hire_month=calendar.month_index(hire_days),
        leave_month=np.where(np.isnat(leave_days), calendar.months + 1,
                             calendar.month_index(leave_days)),
    )


def _window_days(calendar: Calendar) -> tuple[np.datetime64, int]:
    first_day = calendar.window_start.astype("datetime64[D]")
    return first_day, int((calendar.extract_day - first_day).astype(np.int64)) + 1


def _draw_hire_days(count: int, calendar: Calendar, rng: np.random.Generator) -> np.ndarray:
    first_day, window_length = _window_days(calendar)
    hires_in_window = min(count // 3, max(1, round(count * YEARLY_HIRE_RATE
                                                   * calendar.periods / 12)))
    # Most of the staff joined years ago, with more recent than old hires; nobody
    # has been with the bank for more than 30 years.
    years_before = np.maximum(rng.gamma(1.6, 5.5, count - hires_in_window), 0.1)
    veterans = years_before > 30
    years_before[veterans] = rng.uniform(15, 30, int(veterans.sum()))
    incumbents = first_day - np.round(years_before * 365.25).astype("timedelta64[D]")
    newcomers = first_day + rng.integers(0, window_length, hires_in_window).astype(
        "timedelta64[D]")
    return np.concatenate([incumbents, newcomers])


def _draw_leave_days(hire_days: np.ndarray, calendar: Calendar,
                     rng: np.random.Generator) -> np.ndarray:
    first_day, _ = _window_days(calendar)
    leave_days = np.full(len(hire_days), np.datetime64("NaT"), dtype="datetime64[D]")
    # Nobody leaves in their first quarter, and leavers leave inside the window.
    earliest = np.maximum(hire_days + 90, first_day)
    eligible = np.flatnonzero(earliest < calendar.extract_day)
    wanted = max(1, round(len(hire_days) * YEARLY_LEAVE_RATE * calendar.periods / 12))
    leavers = np.sort(rng.choice(eligible, size=min(wanted, len(eligible)), replace=False))
    spans = (calendar.extract_day - earliest[leavers]).astype(np.int64)
    offsets = np.floor(rng.random(len(leavers)) * spans).astype("timedelta64[D]")
    leave_days[leavers] = earliest[leavers] + offsets
    return leave_days


def _draw_birth_days(hire_days: np.ndarray, tenure_years: np.ndarray,
                     rng: np.random.Generator) -> np.ndarray:
    age_at_hire = 22 + rng.gamma(2.0, 1.6, len(hire_days))
    too_old = age_at_hire + tenure_years > 58  # everyone still below 60 at the extract
    age_at_hire[too_old] = rng.uniform(20.5, 58 - tenure_years[too_old])
    return hire_days - np.round(age_at_hire * 365.25).astype("timedelta64[D]")


def _draw_grades(tenure_years: np.ndarray, education: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    merit = (np.log1p(tenure_years) + np.asarray(EDUCATION_GRADE_BONUS)[education]
             + rng.normal(0, 0.45, len(tenure_years)))
    rank = np.argsort(np.argsort(-merit, kind="stable"), kind="stable")
    cutoffs = np.cumsum(GRADE_SHARES)[:-1] * len(merit)
    grades = np.searchsorted(cutoffs, rank, side="right")
    grades[tenure_years < 1] = ASSISTANT           # first-year staff are assistants
    grades[(tenure_years < 3) & (grades == 0)] = 1  # nobody is senior within three years
    return grades


def _draw_titles(grades: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    titles = np.empty(len(grades), dtype=np.int64)
    for grade, shares in enumerate(TITLE_SHARES_BY_GRADE):
        members = np.flatnonzero(grades == grade)
        titles[members] = rng.choice(len(TITLES), size=len(members), p=shares)
    return titles


def _draw_statuses(hire_days: np.ndarray, leave_days: np.ndarray, calendar: Calendar,
                   rng: np.random.Generator) -> np.ndarray:
    statuses = np.full(len(hire_days), ACTIVE)
    probation_from = (calendar.end_month - (PROBATION_MONTHS - 1)).astype("datetime64[D]")
    statuses[hire_days >= probation_from] = PROBATION
    statuses[~np.isnat(leave_days)] = LEFT
    active = np.flatnonzero(statuses == ACTIVE)
    suspended = rng.choice(active, size=min(len(active), max(1, round(len(hire_days) / 100))),
                           replace=False)
    statuses[suspended] = SUSPENDED
    return statuses


def _draw_manager_ids(count: int, rng: np.random.Generator) -> list[str]:
    # Staff numbers are handed out in hiring order with gaps (numbers of people who
    # left before the window), so they ascend with the hire date.
    numbers = 100 + np.cumsum(1 + rng.poisson(0.6, count))
    if numbers[-1] > 999_999:
        raise ValueError("too many managers for 6-digit staff numbers")
    return [f"{n:06d}" for n in numbers.tolist()]


def _draw_names(genders: np.ndarray, rng: np.random.Generator) -> list[str]:
    count = len(genders)
    # Common surnames are far more common: a Zipf-like weight.
    surname_weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.9
    surnames = rng.choice(len(SURNAMES), size=count, p=surname_weights / surname_weights.sum())
    single_given = rng.random(count) < 0.35
    first_chars = rng.integers(0, len(MALE_GIVEN), count)
    second_chars = rng.integers(0, len(MALE_GIVEN), count)
    names = []
    for i in range(count):
        pool = FEMALE_GIVEN if genders[i] else MALE_GIVEN
        given = pool[first_chars[i]] + ("" if single_given[i] else pool[second_chars[i]])
        names.append(SURNAMES[surnames[i]] + given)
    _ensure_namesakes(names, genders)
    return names


NAMESAKE_PAIRS = 2  # at least this many names shared by two managers


def _ensure_namesakes(names: list[str], genders: np.ndarray) -> None:
    """Real rosters have two 王伟s, and the site must tell them apart by ID: make sure
    the sample has a few such pairs (big rosters have plenty by chance)."""
    shared = sum(1 for count in Counter(names).values() if count > 1)
    for gender in (0, 1):
        same_gender = np.flatnonzero(genders == gender).tolist()
        # Copy a name from early in the roster to someone late, so the pair does not
        # sit next to each other in ID order.
        while shared < NAMESAKE_PAIRS and len(same_gender) >= 4:
            names[same_gender.pop()] = names[same_gender.pop(0)]
            shared += 1


def _draw_id_cards(birth_days: np.ndarray, genders: np.ndarray,
                   rng: np.random.Generator) -> list[str]:
    count = len(birth_days)
    regions = rng.integers(0, 10_000, count)
    sequences = rng.integers(0, 100, count)
    # The 17th digit is odd for men and even for women.
    gender_digits = 2 * rng.integers(0, 5, count) + np.where(genders == 0, 1, 0)
    births = np.datetime_as_string(birth_days, unit="D")
    cards = []
    for i in range(count):
        body = (f"{FAKE_ID_CARD_REGION}{regions[i]:04d}{births[i].replace('-', '')}"
                f"{sequences[i]:02d}{gender_digits[i]}")
        checksum = int(np.dot(ID_CARD_WEIGHTS, [int(c) for c in body])) % 11
        cards.append(body + ID_CARD_CHECK_CHARS[checksum])
    return cards


# =================================================================================
# Where managers sit, month by month
# =================================================================================
@dataclass(frozen=True)
class Placement:
    home_unit: np.ndarray    # unit index at the start of the window (or at hiring)
    new_unit: np.ndarray     # unit index after the transfer, -1 if none
    moved_at: np.ndarray     # window period of the transfer, `periods` if none

    def unit_at(self, period: int) -> np.ndarray:
        return np.where(self.moved_at <= period, self.new_unit, self.home_unit)

    @property
    def movers(self) -> np.ndarray:
        return np.flatnonzero(self.new_unit >= 0)


def _place_managers(roster: Roster, units: UnitTree, calendar: Calendar,
                    rng: np.random.Generator) -> Placement:
    unit_size = rng.gamma(2.0, size=len(units.ids))  # busy units staff more managers
    level_shares = np.array([profile.levels for profile in SEGMENT_PROFILES])
    home = np.empty(len(roster), dtype=np.int64)
    for segment in range(len(SEGMENTS)):
        members = np.flatnonzero(roster.segments == segment)
        levels = CITY + rng.choice(3, size=len(members), p=level_shares[segment])
        for level in (CITY, SUB_BRANCH, OUTLET):
            at_level = members[levels == level]
            candidates = units.units_at(level)
            weights = unit_size[candidates] / unit_size[candidates].sum()
            home[at_level] = rng.choice(candidates, size=len(at_level), p=weights)
    new_unit, moved_at = _draw_transfers(roster, units, home, calendar, rng)
    return Placement(home, new_unit, moved_at)


def _window_span(roster: Roster, calendar: Calendar) -> tuple[np.ndarray, np.ndarray]:
    """First and last window period each manager is employed in (first > last: never)."""
    first = np.maximum(roster.hire_month - HISTORY_MONTHS, 0)
    last = np.minimum(roster.leave_month - HISTORY_MONTHS, calendar.periods - 1)
    return first, last


def _draw_transfers(roster: Roster, units: UnitTree, home: np.ndarray, calendar: Calendar,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    new_unit = np.full(len(roster), -1)
    moved_at = np.full(len(roster), calendar.periods)
    first, last = _window_span(roster, calendar)
    eligible = np.flatnonzero(last - first >= 1)  # seen in the window before and after
    if len(eligible) == 0:
        return new_unit, moved_at
    wanted = min(len(eligible), max(1, round(len(roster) * TRANSFER_SHARE)))
    movers = np.sort(rng.choice(eligible, size=wanted, replace=False))
    spans = last[movers] - first[movers]
    moved_at[movers] = first[movers] + 1 + np.floor(rng.random(wanted) * spans).astype(np.int64)
    staffed = np.flatnonzero(units.levels != PROVINCE)
    for manager in movers.tolist():
        same_level = units.units_at(units.levels[home[manager]])
        candidates = same_level[same_level != home[manager]]
        if len(candidates) == 0:
            candidates = staffed[staffed != home[manager]]
        new_unit[manager] = rng.choice(candidates)
    return new_unit, moved_at


def _employment(roster: Roster, calendar: Calendar) -> np.ndarray:
    """(managers, simulated months) bool: employed in that month."""
    months = np.arange(calendar.months)
    return ((months >= roster.hire_month[:, None]) & (months <= roster.leave_month[:, None]))


# =================================================================================
# Violations and planted defects
# =================================================================================
@dataclass(frozen=True)
class Violation:
    period: int
    manager: int
    day: int
    type: str
    penalty: int
    disqualifies: str
    note: str


@dataclass(frozen=True)
class Defect:
    period: int
    rule: str
    manager: int
    file: str
    column: str = ""
    value: str = ""          # the unit ID or cell text written, the sign put in front
    description: str = ""


def _steady_managers(employed_window: np.ndarray, placement: Placement,
                     period: int) -> np.ndarray:
    """Managers employed in the period and its neighbours and not moving: the places
    where a planted event cannot be mistaken for a hiring, a leave or a transfer."""
    last = employed_window.shape[1] - 1
    steady = employed_window[:, period].copy()
    steady &= employed_window[:, max(period - 1, 0)] & employed_window[:, min(period + 1, last)]
    steady &= placement.moved_at != period
    return np.flatnonzero(steady)


def _draw_violations(roster: Roster, placement: Placement, employed_window: np.ndarray,
                     rng: np.random.Generator) -> list[Violation]:
    periods = employed_window.shape[1]
    minor_period = round(0.30 * (periods - 1))
    loss_period = round(0.65 * (periods - 1))
    minor_manager = rng.choice(_steady_managers(employed_window, placement, minor_period))
    lenders = [m for m in _steady_managers(employed_window, placement, loss_period)
               if roster.has_loans[m] and roster.segments[m] in (CORPORATE, SMALL_BUSINESS)
               and m != minor_manager]
    loss_manager = rng.choice(lenders) if lenders else rng.choice(
        _steady_managers(employed_window, placement, loss_period))
    violations = [
        Violation(minor_period, int(minor_manager), int(rng.integers(1, 29)), *SHOWCASE_MINOR),
        Violation(loss_period, int(loss_manager), int(rng.integers(1, 29)), *SHOWCASE_ASSET_LOSS),
    ]
    manager_years = employed_window.sum() / 12
    extra = round(max(0.0, manager_years - VIOLATION_FREE_MANAGER_YEARS)
                  * VIOLATIONS_PER_MANAGER_YEAR)
    if extra:
        cells = np.sort(rng.choice(np.flatnonzero(employed_window), size=extra, replace=False))
        weights = np.array([kind[-1] for kind in OTHER_VIOLATIONS])
        kinds = rng.choice(len(OTHER_VIOLATIONS), size=extra, p=weights / weights.sum())
        days = rng.integers(1, 29, extra)
        for cell, kind, day in zip(cells.tolist(), kinds.tolist(), days.tolist()):
            manager, period = divmod(cell, periods)
            violations.append(Violation(period, manager, day, *OTHER_VIOLATIONS[kind][:-1]))
    return sorted(violations, key=lambda v: (v.period, v.manager, v.day))


def _plan_defects(roster: Roster, units: UnitTree, placement: Placement,
                  employed_window: np.ndarray, violations: list[Violation],
                  contract: Contract, rng: np.random.Generator) -> list[Defect]:
    periods = employed_window.shape[1]
    taken = {(v.period, v.manager) for v in violations}
    used: set[int] = set()
    defects = []
    for share, rule in DEFECT_LAYOUT:
        period = min(int(share * periods), periods - 2)
        candidates = [m for m in _steady_managers(employed_window, placement, period).tolist()
                      if m not in used and (period, m) not in taken]
        if rule == "not_a_number":  # "--" is what systems print for a missing loan figure
            candidates = [m for m in candidates if roster.has_loans[m]] or candidates
        manager = int(rng.choice(candidates))
        used.add(manager)
        unit = placement.unit_at(period)[manager]
        defects.append(_describe_defect(rule, period, manager, unit, units, roster,
                                        contract, rng))
    return defects


def _describe_defect(rule: str, period: int, manager: int, unit: int, units: UnitTree,
                     roster: Roster, contract: Contract,
                     rng: np.random.Generator) -> Defect:
    manager_id = roster.ids[manager]
    deposit_avg, loan_balance = (_indicator_header(contract, "deposit_avg"),
                                 _indicator_header(contract, "loan_balance"))
    performance, unit_column = contract.performance_file, contract.performance_unit_header
    if rule == "duplicate_row":
        return Defect(period, rule, manager, performance, description=(
            f"客户经理 {manager_id} 的业绩行出现两次（完全相同）"
            f" / the row of manager {manager_id} appears twice, identical"))
    if rule == "unknown_unit":
        closed = _unknown_unit_id(units.ids[unit], set(units.ids))
        return Defect(period, rule, manager, performance, unit_column, closed, (
            f"{unit_column} {closed} 不在 {contract.units_file} 中（已撤并机构）"
            f" / unit {closed} is not in {contract.units_file} (a closed unit)"))
    if rule == "missing_target":
        return Defect(period, rule, manager, contract.targets_file, description=(
            f"客户经理 {manager_id} 有业绩行但 {contract.targets_file} 中没有目标行"
            f" / manager {manager_id} has a performance row but no targets row"))
    if rule == "negative_value":
        return Defect(period, rule, manager, performance, deposit_avg, "-", (
            f"{deposit_avg} 为负数 / {deposit_avg} (average daily deposits) is negative"))
    if rule == "manager_in_two_units":
        same_level = units.units_at(units.levels[unit])
        others = same_level[same_level != unit]
        other = int(rng.choice(others if len(others) else np.flatnonzero(
            (units.levels != PROVINCE) & (np.arange(len(units.ids)) != unit))))
        return Defect(period, rule, manager, performance, unit_column, units.ids[other], (
            f"客户经理 {manager_id} 同期出现在 {units.ids[unit]} 和 {units.ids[other]} 两个机构"
            f" / manager {manager_id} is listed under units {units.ids[unit]}"
            f" and {units.ids[other]} in the same period"))
    if rule == "not_a_number":
        return Defect(period, rule, manager, performance, loan_balance, NOT_A_NUMBER_TEXT, (
            f"{loan_balance} 为 \"{NOT_A_NUMBER_TEXT}\"，不是数字"
            f" / {loan_balance} (loan balance) is \"{NOT_A_NUMBER_TEXT}\", not a number"))
    raise ValueError(f"unknown defect rule {rule}")


def _unknown_unit_id(real_id: str, known: set[str]) -> str:
    """An ID shaped like the manager's real unit but absent from the tree."""
    for filler in "98765":
        candidate = real_id[:-4] + filler * 2 + real_id[-2:] if len(real_id) > 4 else (
            filler * len(real_id))
        if candidate not in known:
            return candidate
    raise AssertionError("could not invent an unknown unit ID")


def _indicator_header(contract: Contract, indicator_id: str) -> str:
    return next(i.header for i in contract.indicators if i.id == indicator_id)


def _defect_records(defects: list[Defect], roster: Roster, calendar: Calendar) -> list[dict]:
    labels = _period_names(calendar)
    return [{"period": labels[d.period], "file": d.file, "manager_id": roster.ids[d.manager],
             "rule": d.rule, "description": d.description} for d in defects]


def _period_names(calendar: Calendar) -> list[str]:
    return [f"{year}-{month:02d}" for year, month in calendar.period_labels()]


# =================================================================================
# Performance, targets and scores
# =================================================================================
@dataclass(frozen=True)
class Books:
    """Per indicator, (managers, periods) actual values and targets of the window."""

    actual: dict[str, np.ndarray]
    targets: dict[str, np.ndarray]


def _simulate_books(roster: Roster, placement: Placement, violations: list[Violation],
                    calendar: Calendar, contract: Contract, rng: np.random.Generator,
                    target_rng: np.random.Generator) -> Books:
    months = calendar.months
    profiles = SEGMENT_PROFILES
    segment = roster.segments
    moy = calendar.month_of_year
    tenure_months = np.arange(months)[None, :] - roster.hire_month[:, None]
    ramp = 1.0 - (1.0 - NEW_HIRE_START) * np.exp(-np.clip(tenure_months, 0, None)
                                                 / RAMP_UP_MONTHS)
    years_to_end = (np.arange(months) - (months - 1)) / 12.0
    kept = np.ones((len(roster), months))
    for manager in placement.movers.tolist():
        kept[manager, HISTORY_MONTHS + placement.moved_at[manager]:] = BOOK_KEPT_ON_TRANSFER
    book = np.asarray(GRADE_BOOK_SIZE)[roster.grades] * rng.lognormal(0, BOOK_SPREAD, len(roster))

    def segment_value(field: str) -> np.ndarray:
        return np.array([getattr(profile, field) for profile in profiles])[segment][:, None]

    def season(factors: Sequence[float]) -> np.ndarray:
        return np.asarray(factors)[moy][None, :]

    def trend(mean_growth: float, spread: float) -> np.ndarray:
        growth = rng.normal(mean_growth, spread, len(roster))
        return np.exp(growth[:, None] * years_to_end[None, :])

    def line_boost(indicator_id: str) -> np.ndarray:
        boost = np.ones(len(PRODUCT_LINES))
        for (boosted, line), factor in PRODUCT_LINE_BOOST.items():
            if boosted == indicator_id:
                boost[PRODUCT_LINES.index(line)] = factor
        return boost[roster.product_lines][:, None]

    deposit_level = (segment_value("deposits") * book[:, None] * trend(0.09, 0.06)
                     * ramp * kept)
    deposit_level *= np.exp(_ar1(rng, deposit_level.shape, 0.05))
    loan_level = (deposit_level * segment_value("loans_per_deposit")
                  * rng.lognormal(0, 0.35, len(roster))[:, None] * trend(0.08, 0.08)
                  * roster.has_loans[:, None] * np.exp(_ar1(rng, deposit_level.shape, 0.04)))

    targets = _TargetSetter(contract, roster, calendar, tenure_months,
                            segment_value("npl_cap")[:, 0], target_rng)
    actual: dict[str, np.ndarray] = {}

    def record(indicator_id: str, values: np.ndarray, expected: np.ndarray | None) -> None:
        # Targets are set as soon as an indicator exists, so its expectation and its
        # history can go: the site only sees the window.
        targets.add(indicator_id, values, expected)
        actual[indicator_id] = values[:, HISTORY_MONTHS:].copy()

    deposit_avg = deposit_level * season(DEPOSIT_AVG_SEASON)
    record("deposit_avg", deposit_avg, deposit_avg)
    record("deposit_end", deposit_level * season(DEPOSIT_END_SEASON)
           * rng.lognormal(0, 0.025, deposit_level.shape), None)
    loan_balance = loan_level * season(LOAN_SEASON)
    record("loan_balance", loan_balance, loan_balance)

    # Flows: most months bring some business, a few bring a big deal.
    large_chance = np.clip(segment_value("large_deposit_chance")
                           + np.where(moy < 3, 0.15, 0.0)[None, :], 0, 0.95)
    expected = deposit_level * 0.025 * season(LARGE_DEPOSIT_SEASON)
    large = _lumpy_flow(rng, expected, large_chance, 1.2)
    large[large < LARGE_DEPOSIT_MINIMUM] = 0.0
    record("large_deposit", large, expected)
    expected = (loan_level * segment_value("loan_turnover") * season(NEW_LOAN_SEASON)
                * line_boost("new_loans"))
    record("new_loans", _lumpy_flow(rng, expected, 0.8, 2.0), expected)
    expected = (deposit_level * segment_value("fee_rate") * season(FEE_SEASON)
                * line_boost("fee_income"))
    record("fee_income", expected * rng.gamma(4.0, 0.25, deposit_level.shape), expected)
    del deposit_level, loan_level, large, expected

    # Counts. Payroll households are a stock that grows; the others are monthly sales.
    reach = np.sqrt(np.asarray(GRADE_BOOK_SIZE)[roster.grades])[:, None] * ramp
    expected = (segment_value("payroll_accounts") * reach
                * rng.lognormal(0, 0.9, len(roster))[:, None]
                * trend(0.06, 0.05) * season(PAYROLL_SEASON))
    record("payroll_accounts",
           np.rint(expected * np.exp(_ar1(rng, expected.shape, 0.03))), expected)
    for indicator_id in ("new_accounts", "ebank_signups", "credit_cards"):
        expected = (segment_value(indicator_id) * reach ** 0.6
                    * rng.lognormal(0, 0.35, len(roster))[:, None]
                    * season(SALES_SEASON) * line_boost(indicator_id))
        record(indicator_id, rng.poisson(expected).astype(np.float64), expected)

    record("npl_ratio", _simulate_npl(roster, violations, tenure_months, calendar, rng,
                                      segment_value("npl_level"), season(NPL_SEASON)), None)
    missing = {i.id for i in contract.indicators} - set(actual)
    if missing:
        raise ValueError(f"the sample cannot simulate indicators {sorted(missing)}")
    return Books({i.id: actual[i.id] for i in contract.indicators}, targets.targets)


def _ar1(rng: np.random.Generator, shape: tuple[int, int], sd: float,
         persistence: float = 0.8) -> np.ndarray:
    """Slowly wandering noise: a good month tends to be followed by another."""
    shocks = rng.normal(0, sd, shape)
    noise = np.empty(shape)
    noise[:, 0] = shocks[:, 0] / math.sqrt(1 - persistence**2)
    for month in range(1, shape[1]):
        noise[:, month] = persistence * noise[:, month - 1] + shocks[:, month]
    return noise


def _lumpy_flow(rng: np.random.Generator, mean: np.ndarray, chance: float | np.ndarray,
                shape: float) -> np.ndarray:
    """Business that comes in deals: nothing in some months, gamma-sized otherwise,
    with the given mean."""
    happens = rng.random(mean.shape) < chance
    return happens * mean / chance * rng.gamma(shape, 1.0 / shape, mean.shape)


def _simulate_npl(roster: Roster, violations: list[Violation], tenure_months: np.ndarray,
                  calendar: Calendar, rng: np.random.Generator, segment_level: np.ndarray,
                  npl_season: np.ndarray) -> np.ndarray:
    count = len(roster)
    level = segment_level[:, 0] * rng.lognormal(0, 0.6, count)
    clean_book = rng.random(count) < 0.25
    npl = level[:, None] * np.exp(_ar1(rng, (count, calendar.months), 0.12, 0.9)) * npl_season
    npl[clean_book | ~roster.has_loans] = 0.0
    npl[tenure_months < 6] = 0.0  # loans granted recently cannot have gone bad yet
    # The loan that caused an asset loss stays on the manager's book as a bad loan.
    for violation in violations:
        if violation.type == SHOWCASE_ASSET_LOSS[0] and roster.has_loans[violation.manager]:
            npl[violation.manager, HISTORY_MONTHS + violation.period:] *= 2.5
    return np.clip(npl, 0.0, NPL_MAXIMUM)


class _TargetSetter:
    """Targets are last year's same-month actual plus 5-15 % growth set once a year;
    who has no half year behind them then gets the plan (the expected value) instead.
    Flows and counts lean half on the expectation, so one lucky month does not set
    next year's bar. The NPL target is a cap by segment, looser for some managers."""

    def __init__(self, contract: Contract, roster: Roster, calendar: Calendar,
                 tenure_months: np.ndarray, npl_cap: np.ndarray, rng: np.random.Generator):
        self.indicators = {indicator.id: indicator for indicator in contract.indicators}
        self.window = slice(HISTORY_MONTHS, calendar.months)
        self.last_year = slice(0, calendar.periods)
        years = np.array([year for year, _ in calendar.period_labels()])
        self.year_column = years - years[0]   # targets change with the calendar year
        self.has_history = tenure_months[:, self.last_year] >= 6
        self.npl_cap = npl_cap
        self.count = len(roster)
        self.rng = rng
        self.targets: dict[str, np.ndarray] = {}

    def _per_year(self, choices) -> np.ndarray:
        drawn = self.rng.choice(choices, size=(self.count, self.year_column[-1] + 1))
        return drawn[:, self.year_column]

    def add(self, indicator_id: str, actual: np.ndarray, expected: np.ndarray | None) -> None:
        indicator = self.indicators.get(indicator_id)
        if indicator is None or not indicator.target:
            return
        if indicator.kind == "ratio":
            self.targets[indicator_id] = (self.npl_cap[:, None] + self._per_year(
                NPL_CAP_LOOSENING)).astype(np.float32)
            return
        low, high = TARGET_GROWTH_PERCENT
        growth = 1 + self._per_year(np.arange(low, high + 1)) / 100
        past = actual[:, self.last_year]
        if indicator.kind != "balance":
            past = 0.5 * (past + expected[:, self.last_year])
        wanted = np.where(self.has_history, past, expected[:, self.window] / growth) * growth
        # Three significant figures survive float32 exactly enough to print, at half
        # the memory.
        self.targets[indicator_id] = (np.rint(wanted) if indicator.kind == "count"
                                      else _round_significant(wanted, 3)).astype(np.float32)


def _round_significant(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to `digits` significant figures but never finer than 0.01 (万元 cents)."""
    rounded = np.zeros_like(values)
    positive = values > 0
    exponent = np.floor(np.log10(values[positive])) - (digits - 1)
    step = 10.0 ** np.maximum(exponent, -2)
    rounded[positive] = np.round(values[positive] / step) * step
    return rounded


def _draw_scores(roster: Roster, periods: int, violations: list[Violation],
                 rng: np.random.Generator, score_count: int) -> list[np.ndarray]:
    """Per qualitative score, (managers, periods) scores 0-100, mostly 60-98: a manager's
    standing, a bias per score, monthly noise and a rare complaint month."""
    count = len(roster)
    standing = rng.normal(83, 5, count)[:, None]
    internal_management = 1 if score_count > 1 else 0
    scores = []
    for score in range(score_count):
        values = standing + rng.normal(0, 2.5, (count, 1)) + rng.normal(0, 3.5, (count, periods))
        values -= (rng.random((count, periods)) < 0.01) * 20
        if score == internal_management:
            for violation in violations:
                values[violation.manager, violation.period] -= violation.penalty
        scores.append(np.clip(np.round(values, 1), 0.0, 100.0).astype(np.float32))
    return scores


# =================================================================================
# The whole bank
# =================================================================================
@dataclass(frozen=True)
class Bank:
    """Everything but the numbers: cheap to build, decides where events happen."""

    contract: Contract
    calendar: Calendar
    units: UnitTree
    roster: Roster
    placement: Placement
    employed: np.ndarray         # (managers, simulated months)
    violations: list[Violation]
    defects: list[Defect]


def _build_bank(managers: int, units: int, periods: int, seed: int, end: str,
                defects: bool) -> Bank:
    if managers < 10:
        raise ValueError("--managers must be at least 10")
    if units < 4:
        raise ValueError("--units must be at least 4 (province, city, sub-branch, outlet)")
    if periods < 1 or (defects and periods < 3):
        raise ValueError("--periods must be at least 1, and at least 3 with planted defects"
                         " (they avoid the last period); use --clean for fewer")
    contract = load_contract()
    calendar = _make_calendar(end, periods)
    tree = _build_units(units, contract.bank_name, _rng(seed, STREAM_UNITS))
    roster = _build_roster(managers, calendar, _rng(seed, STREAM_ROSTER))
    placement = _place_managers(roster, tree, calendar, _rng(seed, STREAM_PLACEMENT))
    employed = _employment(roster, calendar)
    window = employed[:, HISTORY_MONTHS:]
    violations = _draw_violations(roster, placement, window, _rng(seed, STREAM_EVENTS))
    planted = (_plan_defects(roster, tree, placement, window, violations, contract,
                             _rng(seed, STREAM_DEFECTS)) if defects else [])
    return Bank(contract, calendar, tree, roster, placement, employed, violations, planted)


def planted_defects(*, managers: int = DEFAULT_MANAGERS, units: int = DEFAULT_UNITS,
                    periods: int = DEFAULT_PERIODS, seed: int = DEFAULT_SEED,
                    end: str = DEFAULT_END) -> list[dict[str, str]]:
    """The defects `generate()` plants with these arguments, as PLANTED_DEFECTS lists them."""
    bank = _build_bank(managers, units, periods, seed, end, defects=True)
    return _defect_records(bank.defects, bank.roster, bank.calendar)
