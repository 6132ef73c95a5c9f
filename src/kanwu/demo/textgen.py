"""Deterministic generator of plausible Simplified Chinese demo news content.

Every word list and sentence template below was written for this module;
nothing is copied from real articles, and all outlet names, places and URLs
are invented (URLs use the reserved ``example`` domains).  The output depends
only on the ``random.Random`` instance passed in, so a fixed seed always
yields the same articles.

Templates contain one-letter slots such as ``{s}``; topic slots come from a
:class:`TopicVocab`, shared slots (places, numbers, dates...) from
``_SHARED_SLOTS``, and ``{r}`` is replaced by a generated personal name.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "TOPICS",
    "ArticleText",
    "TopicVocab",
    "body_html",
    "generate_article",
]

TITLE_MIN, TITLE_MAX = 8, 28
PARAGRAPH_MIN, PARAGRAPH_MAX = 60, 220
PARAGRAPHS_MIN, PARAGRAPHS_MAX = 4, 9
REPOST_RATE = 0.25


@dataclass(frozen=True, slots=True)
class TopicVocab:
    """Vocabulary of one topic (one portal column).

    ``subjects``, ``verbs``, ``objects`` and ``themes`` fill the ``{s}``,
    ``{v}``, ``{o}`` and ``{t}`` slots of the topic's own ``sentences``,
    ``titles`` and ``subtitles`` templates.  ``tags`` are the candidate tags
    and ``headings`` the candidate ``<h2>`` subheadings of the topic.
    """

    column: str
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    themes: tuple[str, ...]
    sentences: tuple[str, ...]
    titles: tuple[str, ...]
    subtitles: tuple[str, ...]
    tags: tuple[str, ...]
    headings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """Text content of one generated article.

    ``headings`` holds ``(paragraph index, heading)`` pairs: the heading is
    rendered as ``<h2>`` right before that paragraph by :func:`body_html`.
    """

    title: str
    subtitle: str
    author: str
    summary: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    source_name: str | None
    source_url: str | None
    is_repost: bool
    topic: str = ""
    headings: tuple[tuple[int, str], ...] = ()


def _w(words: str) -> tuple[str, ...]:
    """Split a whitespace-separated word list."""
    return tuple(words.split())


TOPICS: dict[str, TopicVocab] = {
    "news": TopicVocab(
        column="新闻动态",
        subjects=_w(
            "市委统战部 区委统战部 县委统战部 市政协机关 民革市委会 民盟市委会"
            " 民建市委会 民进市委会 农工党市委会 致公党市委会 九三学社市委会"
            " 市工商联 市侨联 市知联会 市新联会"
        ),
        verbs=_w("召开 举办 举行 组织召开 联合举办 顺利召开 隆重举行 专题召开"),
        objects=_w(
            "专题座谈会 工作推进会 联席会议 年度总结会 专题培训班 联谊交流会"
            " 政企恳谈会 调研座谈会 工作部署会 情况通报会 协商议事会 骨干培训会"
        ),
        themes=_w(
            "统战宣传 协商民主 共同思想政治基础 民营经济高质量发展 海外联谊"
            " 党外代表人士队伍建设 参政议政能力建设 新的社会阶层人士工作 网络统战"
        ),
        sentences=(
            "{g}{s}在{c}{v}{o}，围绕{t}进行深入交流。",
            "会议传达学习了上级有关会议精神，通报了{y}年以来的重点工作情况。",
            "与会人员结合各自工作实际，就做好{t}工作踊跃发言、建言献策。",
            "会议强调，要进一步增强责任感和使命感，推动{t}各项任务落地见效。",
            "{s}主要负责同志出席会议并讲话，{n}名代表参加{o}。",
            "活动现场气氛热烈，大家纷纷表示将以此为契机，在{t}中展现新作为。",
            "据了解，此次{o}历时{e}天，共收集意见建议{n}条。",
            "会上，{r}代表{s}作交流发言，介绍了开展{t}的经验做法。",
            "下一步，{s}将持续完善工作机制，推动{t}工作走深走实。",
            "本次活动还通过{a}进行同步直播，累计观看{b}人次。",
            "会议要求，各单位要把思想和行动统一到会议部署上来，切实抓好{t}。",
            "{s}与{c}有关部门签订合作协议，共同搭建{t}交流平台。",
            "会议对{y}年度先进集体和先进个人进行了通报表扬。",
            "与会代表一致认为，过去一年{s}在{t}方面亮点纷呈、成效明显。",
            "会前，与会人员还实地参观了{c}的统战工作实践基地。",
            "{r}在总结讲话中指出，要在{t}上下功夫、求实效。",
        ),
        titles=(
            "{s}{v}{o}",
            "{s}{v}{y}年度{o}",
            "{s}：以{t}为主线抓好重点工作",
            "凝聚{t}合力 {s}在行动",
            "{c}{v}{t}{o}",
        ),
        subtitles=("——{s}{y}年工作综述", "——{c}{t}工作侧记"),
        tags=_w("会议 座谈 调研 民主党派 工商联 侨联 政协 协商民主 建言献策 工作动态"),
        headings=_w("会议部署 交流发言 工作成效 下一步打算 与会反响"),
    ),
    "history": TopicVocab(
        column="统战史话",
        subjects=_w(
            "爱国民主人士 老一辈革命家 进步知识分子 各界爱国人士 民族工商业者"
            " 海外爱国侨胞 地下党组织 进步青年 开明士绅 爱国文化名人"
        ),
        verbs=_w("奔走呼号 秘密联络 积极响应 慷慨解囊 辗转北上 不畏艰险 四处奔走 挺身而出"),
        objects=_w(
            "抗日救亡运动 新政协筹备工作 爱国民主运动 救国会 民主建国进程"
            " 抗战募捐活动 华侨回国服务团 文化界救亡协会 进步读书会"
        ),
        themes=_w(
            "爱国统一战线 民族大义 家国情怀 革命传统 红色基因 协商建国精神"
            " 风雨同舟精神 肝胆相照传统 爱国主义精神 红色文化"
        ),
        sentences=(
            "{h}年前后，一批{s}{v}，投身{o}。",
            "在那段艰苦卓绝的岁月里，{s}与中国共产党风雨同舟，留下了许多感人至深的故事。",
            "据当地档案记载，{h}年春，{s}在{c}一带{v}，积极参与{o}。",
            "这段历史生动诠释了{t}的深刻内涵，至今仍给人以深刻启迪。",
            "如今，位于{c}的旧址已被辟为纪念馆，每年接待参观者{b}人次。",
            "史料显示，当时的{o}得到了{s}的广泛支持，先后筹集物资{e}批。",
            "回望历史，{t}始终是凝聚人心、汇聚力量的重要法宝。",
            "亲历者后人回忆说，那时条件十分艰苦，但前辈们{v}，从未动摇。",
            "{h}年，{r}等人在{c}秘密创办进步刊物，传播救亡图存的思想。",
            "重温这段峥嵘岁月，对于传承{t}、赓续红色血脉具有重要意义。",
            "一封封泛黄的书信，记录下{s}心系家国的赤子之心。",
            "纪念馆内陈列着{n}件珍贵文物，再现了{o}的历史场景。",
            "{h}年秋，{r}冒着生命危险护送{s}穿越封锁线。",
            "当年的油灯、木桌和手摇油印机，至今仍静静陈列在旧址的展柜里。",
            "这份珍贵的历史档案，见证了{s}与党同心同行的光辉历程。",
            "{c}的老人们至今还记得，{s}当年在祠堂里召开秘密会议的情景。",
        ),
        titles=(
            "{t}：{s}与{o}",
            "{h}年：{s}{v}的往事",
            "追寻{t}的历史足迹",
            "{c}旧址里的{t}故事",
            "史海钩沉｜{s}与{o}",
        ),
        subtitles=("——{c}革命旧址寻访记", "——{h}年{o}往事"),
        tags=_w(
            "统战史话 红色记忆 革命旧址 抗日战争 爱国民主人士 党史学习 历史人物 档案文献 纪念馆"
        ),
        headings=_w("峥嵘岁月 历史回响 精神传承 旧址寻踪 往事钩沉"),
    ),
    "policy": TopicVocab(
        column="政策法规",
        subjects=_w(
            "市人民政府办公室 市委统战部办公室 市民族宗教事务局 市人大常委会"
            " 市司法局 省侨务部门 市委全面依法治市办"
        ),
        verbs=_w("印发 修订 出台 发布"),
        objects=_w(
            "《关于加强民族团结进步工作的实施办法》 《宗教事务管理若干规定》"
            " 《促进民营经济发展若干措施》 《华侨权益保护实施细则》"
            " 《统战工作责任制实施办法》 《党外干部培养使用指导意见》"
            " 《基层协商议事工作规则》 《优化营商环境三年行动方案》"
        ),
        themes=_w(
            "依法治理 政策落实 制度建设 规范化管理 权责清单 法治保障 营商环境"
            " 民族事务治理 宗教事务管理 侨益保护"
        ),
        sentences=(
            "{g}{s}{v}{o}，自{y}年{d}起施行。",
            "该文件共{k}章，分别从总则、职责分工、保障措施等方面对{t}作出规定。",
            "根据文件第{e}条规定，相关单位应当建立健全{t}工作机制。",
            "{s}有关负责人表示，出台该文件旨在进一步推进{t}，切实解决基层反映的突出问题。",
            "文件明确，各级各部门要压实主体责任，将{t}纳入年度考核内容。",
            "在征求意见阶段，共收到各方意见建议{n}条，采纳率达到{p}%。",
            "对于违反本办法规定的行为，由有关主管部门依法责令改正。",
            "{o}的出台，标志着我市在{t}方面迈出了新的步伐。",
            "为便于群众理解，{s}同步制作了H5图解版本，对重点条款逐条解读。",
            "下一步，将加强对文件执行情况的监督检查，确保各项规定落到实处。",
            "与原规定相比，修订后的条款进一步细化了{t}的程序要求。",
            "文件同时规定，涉及群众切身利益的事项应当依法公开、接受监督。",
            "文件第{e}条首次明确了{t}的责任主体和办理时限。",
            "此前，{s}曾就{t}问题赴{e}个区县开展专题调研。",
            "文件还配套列出了{t}事项清单，共涉及{n}项具体内容。",
            "法律专家{r}认为，该文件在{t}方面体现了问题导向和制度创新。",
        ),
        titles=(
            "{s}{v}{o}",
            "一图读懂{o}",
            "{o}{y}年起施行",
            "我市{v}{t}新规",
            "政策解读：{t}有了新规范",
        ),
        subtitles=("——{s}有关负责人答记者问", "——{t}政策要点解读"),
        tags=_w("政策法规 政策解读 法规文件 依法治理 营商环境 民族宗教 侨务政策 制度建设 权威发布"),
        headings=_w("出台背景 主要内容 重点条款 贯彻落实 答记者问"),
    ),
    "theory": TopicVocab(
        column="理论研究",
        subjects=_w(
            "专家学者 课题组 社会主义学院 统战理论研究会 高校研究团队"
            " 统战理论研究基地 青年学者 省级重点智库"
        ),
        verbs=_w("深入研究 系统阐释 梳理总结 辩证分析 学理探讨 充分论证 比较研究 实证分析"),
        objects=_w("理论逻辑 历史逻辑 实践逻辑 时代内涵 基本规律 方法论意义 价值意蕴 内在机理"),
        themes=_w(
            "新型政党制度 全过程人民民主 中华民族共同体意识 大统战工作格局"
            " 一致性和多样性统一 协商民主理论 统一战线学 人心向背问题"
        ),
        sentences=(
            "从理论层面看，{t}蕴含着深刻的{o}，需要{v}。",
            "{s}认为，{t}是一个具有鲜明中国特色的重大理论命题。",
            "本文拟从{o}、制度优势和实践路径三个维度，对{t}进行{v}。",
            "研究表明，正确处理一致性和多样性的关系，是推进{t}研究的关键所在。",
            "{s}近年来围绕{t}开展{e}项课题研究，形成了一批有价值的研究成果。",
            "在方法论上，应当坚持系统观念，把{t}置于更宏阔的视野中加以考察。",
            "{r}教授指出，深化{t}研究，必须坚持问题导向与学理阐释相结合。",
            "据统计，{y}年以来相关领域发表学术论文{n}篇，研究热度持续上升。",
            "由此可见，{t}的理论逻辑与实践逻辑内在统一、相辅相成。",
            "有学者运用CNKI文献计量和SWOT分析等方法，对{t}的研究现状进行了{v}。",
            "概言之，{t}的{o}在于把制度优势更好转化为治理效能。",
            "学界对{t}的讨论，经历了从概念辨析到体系建构的深化过程。",
            "值得注意的是，{t}的{o}并非一成不变，而是随着实践发展不断丰富。",
            "{s}对{t}进行{v}后提出，应当构建具有自主知识产权的学术话语体系。",
            "从比较视野看，{t}与西方竞争性政党理论存在本质区别。",
            "上述观点在{y}年召开的学术研讨会上引起了与会学者的广泛共鸣。",
        ),
        titles=(
            "论{t}的{o}",
            "{t}的{o}探析",
            "新时代{t}研究述评",
            "关于{t}的几点思考",
            "{t}：{o}与实践路径",
        ),
        subtitles=("——兼论{t}的{o}", "——基于{c}的实证考察"),
        tags=_w(
            "理论研究 学术观点 统战理论 课题成果 研讨会 新型政党制度 协商民主 中华民族共同体 智库"
        ),
        headings=_w("问题的提出 理论溯源 逻辑进路 实践路径 结语"),
    ),
    "grassroots": TopicVocab(
        column="基层风采",
        subjects=_w(
            "社区党委 村党支部 同心服务队 民主党派志愿者 新乡贤 返乡创业青年"
            " 非公企业党组织 乡镇统战委员 网格员"
        ),
        verbs=_w("帮助 带动 引导 结对帮扶 组织 动员"),
        objects=_w(
            "特色种植基地 村集体经济 社区议事厅 农产品直播带货 同心共富工坊"
            " 邻里互助站 民族团结进步示范点 乡村振兴项目 老年食堂"
        ),
        themes=_w("乡村振兴 共同富裕 民生实事 基层治理 志愿服务 邻里和睦 产业兴旺 民族团结一家亲"),
        sentences=(
            "走进{c}，干净整洁的村道、错落有致的民居映入眼帘。",
            "近年来，{s}{v}{n}户农户发展{o}，户均增收{w}元。",
            "“以前大家各干各的，现在有了{o}，日子越过越红火。”村民{r}笑着说。",
            "{s}坚持把{t}作为工作重点，探索形成了“{o}+志愿服务”模式。",
            "在{s}的带动下，当地{o}已覆盖周边{e}个村，吸纳就业{n}人。",
            "每逢周末，{s}的成员都会来到{c}，为群众提供义诊、法律咨询等服务。",
            "今年以来，{s}共开展志愿服务{n}场次，解决群众急难愁盼问题{n}件。",
            "如今，{o}已成为{c}推进{t}的一张亮丽名片。",
            "借助{a}，{s}把当地农特产品卖到了全国各地。",
            "{r}是{c}土生土长的返乡创业青年，扎根基层已有{e}年。",
            "田间地头、房前屋后，处处可见{s}忙碌的身影。",
            "{c}把{t}融入网格管理，矛盾纠纷就地化解率达到{p}%。",
            "{s}还定期走访困难群众，帮助解决看病、就学等实际问题。",
            "“有事好商量，众人的事情由众人商量。”这是{c}社区议事厅墙上的一句话。",
            "去年，{c}的{o}带动村集体增收{e}0万元，比上年增长{e}%。",
            "{r}说：“能为乡亲们做点实事，再苦再累也值得。”",
        ),
        titles=(
            "{c}：{o}带来新变化",
            "{s}倾情助力{t}",
            "小{o}里的{t}",
            "{c}{s}：{v}群众共建{o}",
            "同心共筑{t}之路",
        ),
        subtitles=("——{c}{t}工作侧记", "——记{c}{s}"),
        tags=_w("基层风采 乡村振兴 共同富裕 志愿服务 基层治理 同心工程 民生 社区 新乡贤 民族团结"),
        headings=_w("田间新景 群众心声 产业带动 服务到家 振兴之路"),
    ),
    "photo": TopicVocab(
        column="图片新闻",
        subjects=_w("摄影爱好者 记者镜头 航拍镜头 参展作品 志愿者 游客 侨界青年"),
        verbs=_w("定格 记录 捕捉 展现 聚焦 呈现"),
        objects=_w("丰收景象 节日盛况 民俗表演 灯会夜景 湖光山色 古镇街巷 梯田风光 城市新貌"),
        themes=_w("美丽乡村 民族团结 城市更新 传统节日 文化传承 生态保护 幸福生活 侨乡新貌"),
        sentences=(
            "图为{c}的{o}。（摄影：{r}）",
            "{g}{s}{v}了{c}的{o}，展现出{t}的生动图景。",
            "镜头下，{o}与远处的青山相映成趣，构成一幅和谐的画卷。",
            "本次摄影展共展出作品{n}幅，集中展示了{c}在{t}方面取得的成就。",
            "图为群众身着盛装载歌载舞，共同欢度佳节。",
            "一张张照片{v}下{o}，也记录下{t}的点滴变化。",
            "据主办方介绍，作品征集历时{k}个月，共收到投稿{n}件。",
            "航拍视角下的{c}，一派{t}的美好画面令人心旷神怡。",
            "展览将持续至{d}，市民可免费入场参观。",
            "“每一张照片背后都有一个故事。”摄影爱好者{r}说。",
            "夕阳余晖洒在{c}的街巷间，光影交错，{o}格外迷人。",
            "这组照片还通过VR全景方式展示，观众可沉浸式感受{t}。",
            "图为游客在{c}驻足拍照，留下美好瞬间。（{r} 摄）",
            "清晨的{c}薄雾缭绕，{o}宛如一幅水墨长卷。",
            "参展作品中既有专业摄影师的力作，也有普通群众用手机拍下的{o}。",
            "图为志愿者在{c}为游客提供讲解服务。",
        ),
        titles=(
            "镜头里的{t}",
            "{v}{c}{o}",
            "组图｜{c}：{o}",
            "图说{t}",
            "光影{v}{t}",
        ),
        subtitles=("——“{t}”主题摄影展作品选登", "——{c}掠影"),
        tags=_w("图片新闻 摄影 组图 航拍 影像记录 摄影展 美丽乡村 节日 民俗"),
        headings=_w("光影瞬间 镜头故事 影像记录 画面之外"),
    ),
    "notice": TopicVocab(
        column="通知公告",
        subjects=_w("各有关单位 各区县统战部 各民主党派市委会 市直有关部门 各会员单位 各联络组"),
        verbs=_w("报送 提交 填写 确认 组织推荐 审核"),
        objects=_w("报名材料 推荐表 申报书 汇总表 工作总结 调研报告 参会回执 信息采集表"),
        themes=_w("评选表彰 专题培训 课题申报 征文活动 信息报送 工作考核 志愿者招募 骨干研修"),
        sentences=(
            "为做好{y}年度{t}工作，现将有关事项通知如下。",
            "请{s}于{d}前将{o}报送至指定邮箱，逾期不予受理。",
            "申报对象须具备{k}年以上相关工作经历，且近三年考核结果均为合格以上。",
            "{o}须加盖单位公章，电子版请以PDF格式一并提交。",
            "联系人：{r}，具体联系方式详见附件。",
            "本次{t}名额有限，共{e}个，请{s}认真组织、择优推荐。",
            "培训期间食宿由主办方统一安排，交通费用回原单位报销。",
            "未尽事宜，另行通知。",
            "请{s}高度重视，按照要求认真做好{t}各项准备工作。",
            "经研究，决定于{y}年{d}开展{t}，为期{k}天。",
            "{s}应对{o}的真实性负责，发现弄虚作假的取消资格。",
            "{t}结果将在本网站进行公示，公示期为{k}个工作日。",
            "参加人员请于{d}上午8:30前到指定地点报到，逾期视为自动放弃。",
            "{o}模板可在本网站“下载中心”栏目获取。",
            "如有疑问，请在工作时间与市委统战部办公室联系人{r}沟通。",
            "各单位报送的{o}应内容翔实、数据准确，字数一般控制在{e}00字以内。",
        ),
        titles=(
            "关于开展{y}年度{t}工作的通知",
            "关于{v}{o}的通知",
            "关于组织{t}的公告",
            "{y}年{t}报名通知",
            "关于{t}有关事项的通知",
        ),
        subtitles=(),
        tags=_w("通知公告 通知 公告 报名 评选表彰 培训 课题申报 征文"),
        headings=_w("时间安排 报名方式 有关要求 联系方式"),
    ),
}

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
    "田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华慧建国志红玉兰文斌"
    "浩宇欣怡晨阳佳琪子涵思远雨婷俊峰海燕晓东丹凤春梅立新德鹏宏亮雪松"
)
_OUTLET_PREFIXES = _w("江澜 岚州 青禾 云渡 澄川 霁城 桐江 沐阳湾 望川 白鹭洲")
_OUTLET_SUFFIXES = _w("日报 晚报 时报 融媒 新闻网 观察报")
# Fictional sources only: hosts under the reserved example.* domains (RFC 2606).
_URL_HOSTS = _w("news.example.com www.example.org paper.example.net m.example.com")
# Shared slots: c place, g opener, a tech term, n count, b large count,
# e small count, p percent, w money, k Chinese numeral, h year 1919-1949,
# y recent year, d date.
_SHARED_SLOTS: dict[str, tuple[str, ...]] = {
    "c": _w(
        "青溪县 云台镇 临江区 南岭乡 石桥村 东湖街道 枫林社区 清河镇 柳塘村"
        " 北山区 桐江市 白鹭洲社区 杏花村 长宁街道 双溪镇 松岗村"
    ),
    "g": ("近日，", "日前，", "本月初，", "近期，", "上周，", "", ""),
    "a": _w("5G网络 手机APP H5页面 融媒体平台 电商平台APP 微信小程序"),
    "n": (*(str(i) for i in range(12, 260, 13)), *_w("100余 200多 300余 80余 50多")),
    "b": _w("1200多 3000余 5600 1.5万 2.3万 4万余 12万"),
    "e": tuple(str(i) for i in range(2, 31)),
    "p": tuple(str(i) for i in range(62, 99, 3)),
    "w": _w("3000余 5000多 8600 1.2万 2万余 4500"),
    "k": _w("三 四 五 六 七 八 九 十"),
    "h": tuple(str(year) for year in range(1919, 1950)),
    "y": tuple(str(year) for year in range(2016, 2027)),
    "d": tuple(f"{month}月{day}日" for month in range(1, 13) for day in (1, 8, 15, 20, 28)),
}

_T = TypeVar("_T")

_SLOT_RE = re.compile(r"\{([a-z])\}")

# A compiled template: (literal text, slot letter) pairs; "" means no slot.
_Template = tuple[tuple[str, str], ...]


def _compile(template: str) -> _Template:
    """Split ``template`` into literal pieces each followed by a slot."""
    pieces = _SLOT_RE.split(template)
    literals = pieces[0::2]
    slots = [*pieces[1::2], ""]
    return tuple(zip(literals, slots, strict=True))


@dataclass(frozen=True, slots=True)
class _CompiledTopic:
    slots: Mapping[str, Sequence[str]]
    sentences: tuple[_Template, ...]
    titles: tuple[_Template, ...]
    subtitles: tuple[_Template, ...]


def _compile_topic(vocab: TopicVocab) -> _CompiledTopic:
    slots: dict[str, Sequence[str]] = {
        **_SHARED_SLOTS,
        "s": vocab.subjects,
        "v": vocab.verbs,
        "o": vocab.objects,
        "t": vocab.themes,
    }
    return _CompiledTopic(
        slots=slots,
        sentences=tuple(_compile(s) for s in vocab.sentences),
        titles=tuple(_compile(s) for s in vocab.titles),
        subtitles=tuple(_compile(s) for s in vocab.subtitles),
    )


_COMPILED: dict[str, _CompiledTopic] = {key: _compile_topic(vocab) for key, vocab in TOPICS.items()}


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    """Like ``rng.choice`` but cheaper; still fully determined by ``rng``."""
    return items[int(rng.random() * len(items))]


def _person_name(rng: random.Random) -> str:
    surname = _pick(rng, _SURNAMES)
    if rng.random() < 0.3:
        return surname + _pick(rng, _GIVEN)
    return surname + _pick(rng, _GIVEN) + _pick(rng, _GIVEN)


def _fill(rng: random.Random, template: _Template, slots: Mapping[str, Sequence[str]]) -> str:
    parts: list[str] = []
    for literal, slot in template:
        parts.append(literal)
        if slot == "r":
            parts.append(_person_name(rng))
        elif slot:
            parts.append(_pick(rng, slots[slot]))
    return "".join(parts)


def _title(rng: random.Random, topic: _CompiledTopic, vocab: TopicVocab) -> str:
    for _ in range(10):
        title = _fill(rng, _pick(rng, topic.titles), topic.slots)
        if TITLE_MIN <= len(title) <= TITLE_MAX:
            return title
    return f"{vocab.column}：{_pick(rng, vocab.themes)}工作综述"[:TITLE_MAX]


def _subtitle(rng: random.Random, topic: _CompiledTopic) -> str:
    if topic.subtitles and rng.random() < 0.3:
        return _fill(rng, _pick(rng, topic.subtitles), topic.slots)
    return ""


def _paragraph(rng: random.Random, topic: _CompiledTopic) -> list[str]:
    """Return the sentences of one paragraph, PARAGRAPH_MIN..MAX chars long.

    No template repeats within a paragraph.  Every template yields well under
    PARAGRAPH_MAX - PARAGRAPH_MIN characters, so a sentence only has to be
    dropped once the minimum length has been reached.
    """
    target = PARAGRAPH_MIN + int(rng.random() * (PARAGRAPH_MAX - PARAGRAPH_MIN))
    templates = topic.sentences
    order = list(range(len(templates)))
    sentences: list[str] = []
    length = 0
    for position in range(len(order)):
        if length >= target:
            break
        # Incremental Fisher-Yates: draw templates without repetition.
        swap = position + int(rng.random() * (len(order) - position))
        order[position], order[swap] = order[swap], order[position]
        sentence = _fill(rng, templates[order[position]], topic.slots)
        if length >= PARAGRAPH_MIN and length + len(sentence) > PARAGRAPH_MAX:
            break
        sentences.append(sentence)
        length += len(sentence)
    return sentences


def _summary(first_paragraph: Sequence[str]) -> str:
    summary = first_paragraph[0]
    for sentence in first_paragraph[1:]:
        if len(summary) >= 40 or len(summary) + len(sentence) > 120:
            break
        summary += sentence
    return summary


def _author(rng: random.Random) -> str:
    if rng.random() < 0.35:
        return f"本站记者 {_person_name(rng)}"
    return _person_name(rng)


def _source(rng: random.Random) -> tuple[str, str]:
    name = _pick(rng, _OUTLET_PREFIXES) + _pick(rng, _OUTLET_SUFFIXES)
    year = 2016 + int(rng.random() * 11)
    month = 1 + int(rng.random() * 12)
    day = 1 + int(rng.random() * 28)
    number = 10000 + int(rng.random() * 90000)
    host = _pick(rng, _URL_HOSTS)
    return name, f"https://{host}/{year}/{month:02d}{day:02d}/{number}.html"


def _headings(
    rng: random.Random, vocab: TopicVocab, paragraph_count: int
) -> tuple[tuple[int, str], ...]:
    if paragraph_count < 5 or rng.random() >= 0.35:
        return ()
    index = 2 + int(rng.random() * (paragraph_count - 3))
    return ((index, _pick(rng, vocab.headings)),)


def generate_article(rng: random.Random, topic: str) -> ArticleText:
    """Generate one article of ``topic`` (a key of :data:`TOPICS`).

    The result depends only on the state of ``rng``.
    """
    vocab = TOPICS[topic]
    compiled = _COMPILED[topic]
    title = _title(rng, compiled, vocab)
    subtitle = _subtitle(rng, compiled)
    count = rng.randint(PARAGRAPHS_MIN, PARAGRAPHS_MAX)
    paragraphs = [_paragraph(rng, compiled) for _ in range(count)]
    tags = tuple(rng.sample(vocab.tags, rng.randint(1, 4)))
    is_repost = rng.random() < REPOST_RATE
    source_name, source_url = _source(rng) if is_repost else (None, None)
    return ArticleText(
        title=title,
        subtitle=subtitle,
        author=_author(rng),
        summary=_summary(paragraphs[0]),
        paragraphs=tuple("".join(sentences) for sentences in paragraphs),
        tags=tags,
        source_name=source_name,
        source_url=source_url,
        is_repost=is_repost,
        topic=topic,
        headings=_headings(rng, vocab, count),
    )


def body_html(text: ArticleText) -> str:
    """Render the paragraphs (and headings) as escaped rich-text HTML."""
    headings = dict(text.headings)
    parts: list[str] = []
    for index, paragraph in enumerate(text.paragraphs):
        heading = headings.get(index)
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<p>{html.escape(paragraph)}</p>")
    return "".join(parts)
