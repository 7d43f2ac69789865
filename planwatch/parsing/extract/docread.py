"""Reading a document for the extractors of statistical communiqués and project lists: the
file decoded and read by the parser's own readers (text, Markdown, HTML, DOCX, PDF), each
block with its line and page, tables kept as rows. Traditional characters are folded into
simplified ones so that one vocabulary matches both."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from planwatch.parsing.decode import check_size_on_disk, max_bytes_default
from planwatch.parsing.errors import ParseError
from planwatch.parsing.model import Block
from planwatch.parsing.pipeline import decode_input, reader_for

# Traditional → simplified, for the characters of statistical and project vocabulary (the
# communiqués of Hong Kong-hosted mirrors and of big5 gateways arrive in traditional script).
_TRAD = (
    "區產總規業長億萬會銷費額務資國際實現體積從對導進計劃達為與發過當時間數據構點開門鎮鄉農"
    "預稅財級貨糧電網價險優勢戶將場縣廳廣東漲減較歲項設營運輸郵貿濟統報於這個們來後幣錢餘庫"
    "儲貸衛醫療機學獲類藥畝噸質環態綠氣礦鐵鋼車輛園龍專線橋維護邊陽歷圍擴築裝備製藝術廠職員"
    "勞動層狀況號碼處種廢標準屬雖無舉辦傳轉換蘭貴滬瀘賓寧綿樂聯熱壓稱齊滿隊領黨結調節範幾創"
    "訂認證識議論試該約紅紡織終組細經絡給絲綜緊績續繼營顯響頭題風飛館養飲驗鬥魚麥黃齡兒兩義"
    "爭亞僅倉儀內冊則剛劉勝協參雙變吳問啟團圖圓壞塊壩壯奮婦寶審寫尋屆嶺島帶幫彈徑復徵憲應懷"
    "戰擇擔損攝敗斷晉書條極樓樣權歡歸殘決沒淨測滅濕灣災煙爾牽獎獨環畢畫異盡監盤確礎禮穩穀窮"
    "競筆緣繩罰羅聖聲脫腦興舊藝蘇蟲補見規視親覽觀記許訴診評詳誤說講讓豐負責賬購販貧賴賦贏趕"
    "軌軍軟載輕輪違遠適選鄰釋針鋪銀錄鏈閉閒閘陸隨雜雞離靈靜韓頁順頻顏願飯馬鬆麗臺廈遼瀋閩贛"
    "魯粵瓊雲陝隴幹遊週訊擬鑒彙匯蘊簡註豬鮮葉貼繳裏麼隻佔紀鄧務覈別邊敘貢"
)
_SIMP = (
    "区产总规业长亿万会销费额务资国际实现体积从对导进计划达为与发过当时间数据构点开门镇乡农"
    "预税财级货粮电网价险优势户将场县厅广东涨减较岁项设营运输邮贸济统报于这个们来后币钱余库"
    "储贷卫医疗机学获类药亩吨质环态绿气矿铁钢车辆园龙专线桥维护边阳历围扩筑装备制艺术厂职员"
    "劳动层状况号码处种废标准属虽无举办传转换兰贵沪泸宾宁绵乐联热压称齐满队领党结调节范几创"
    "订认证识议论试该约红纺织终组细经络给丝综紧绩续继营显响头题风飞馆养饮验斗鱼麦黄龄儿两义"
    "争亚仅仓仪内册则刚刘胜协参双变吴问启团图圆坏块坝壮奋妇宝审写寻届岭岛带帮弹径复征宪应怀"
    "战择担损摄败断晋书条极楼样权欢归残决没净测灭湿湾灾烟尔牵奖独环毕画异尽监盘确础礼稳谷穷"
    "竞笔缘绳罚罗圣声脱脑兴旧艺苏虫补见规视亲览观记许诉诊评详误说讲让丰负责账购贩贫赖赋赢赶"
    "轨军软载轻轮违远适选邻释针铺银录链闭闲闸陆随杂鸡离灵静韩页顺频颜愿饭马松丽台厦辽沈闽赣"
    "鲁粤琼云陕陇干游周讯拟鉴汇汇蕴简注猪鲜叶贴缴里么只占纪邓务核别边叙贡"
)
assert len(_TRAD) == len(_SIMP)
_FOLD = str.maketrans(_TRAD, _SIMP)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，；：（）　", "0123456789.%,;:() ")


def simplified(text: str) -> str:
    """`text` with traditional characters folded to simplified (same length, so offsets
    into the original stay valid) and full-width digits and punctuation made ASCII."""
    return text.translate(_FOLD).translate(_FULLWIDTH)


class NothingFound(ParseError):
    """A readable file that holds none of what an extractor looks for; the message names
    what was looked for."""


class NotText(ParseError):
    """A file of a kind that holds no running text to read (a spreadsheet, a presentation):
    `what` names the kind ("xlsx", "xls", "ods", "pptx"), `FILE_KINDS[what]` in words."""

    def __init__(self, name: str, what: str, problem: str) -> None:
        super().__init__(name, problem)
        self.what = what


FILE_KINDS = {
    "xlsx": "Excel workbook (XLSX), a spreadsheet",
    "xls": "Excel 97-2003 workbook (XLS), a spreadsheet",
    "ods": "OpenDocument spreadsheet (ODS)",
    "pptx": "PowerPoint presentation (PPTX)",
}


def spreadsheet_kind(data: bytes, name: str) -> str | None:
    """Which key of `FILE_KINDS` the bytes are, by their content (a ZIP's members; an OLE
    file with a spreadsheet's suffix), or None."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
            return None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        return None
    if data[:4] == b"\xd0\xcf\x11\xe0" and Path(name).suffix.lower() in (".xls", ".et"):
        return "xls"
    return None


def spreadsheet_kind_of(path: Path) -> str | None:
    """`spreadsheet_kind` of the file at `path` (read whole only when it starts as a ZIP or
    an OLE file and is within the parser's size limit); None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if magic not in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
            return None
        if path.stat().st_size > max_bytes_default():
            return None
        return spreadsheet_kind(path.read_bytes(), path.name)
    except OSError:
        return None


@dataclass
class Document:
    """One input: its name, format and blocks."""

    name: str
    format: str
    blocks: list[Block]


def read_input(path: Path) -> tuple[str | bytes, str]:
    """The file at `path` read and decoded by the parser's decoder: (content, format), text
    formats as `str`. The one place the extractors read a file; `ParseError` names a file
    that cannot be read."""
    try:
        check_size_on_disk(path.stat().st_size, path.name, max_bytes_default())
        data = path.read_bytes()
    except IsADirectoryError:
        raise ParseError(path.name, "is a directory, not a file") from None
    except OSError as exc:
        raise ParseError(path.name, f"cannot read file ({exc.strerror or exc})") from None
    with _unreadable(path.name):
        content, fmt, _encoding = decode_input(data, path.name, None)
    return content, fmt


def read_blocks(content: str | bytes, fmt: str, name: str) -> list[Block]:
    """`content` (from `read_input`) through the parser's reader for `fmt`."""
    with _unreadable(name):
        return reader_for(fmt, name)(content, name).blocks


@contextmanager
def _unreadable(name: str) -> Iterator[None]:
    """A reader library tripping over malformed input raises a `ParseError` naming it."""
    try:
        yield
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(name, f"unreadable input ({type(exc).__name__}: {exc})") from None


def read_path(path: Path) -> Document:
    """Read the file at `path` into blocks; a `ParseError` names a file that cannot be read."""
    content, fmt = read_input(path)
    return Document(name=path.name, format=fmt, blocks=read_blocks(content, fmt, path.name))


def line_at(block: Block, offset: int) -> int:
    """The input line of character `offset` of a block's text (a joined paragraph spans
    several lines)."""
    line = block.line
    for start, span_line, _page in block.spans:
        if start > offset:
            break
        line = span_line
    return line


def page_at(block: Block, offset: int) -> int | None:
    page = block.page
    for start, _line, span_page in block.spans:
        if start > offset:
            break
        if span_page is not None:
            page = span_page
    return page


_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    return _SPACE.sub("", text)
