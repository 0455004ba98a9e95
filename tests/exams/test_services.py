from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from exams import formats, selectors, services
from exams.formats import gift, moodle_xml, xlsx
from exams.models import Question, QuestionCategory, QuestionVersion
from org.models import AuditEntry

from .samples import GIFT, MOODLE_XML
from .test_formats import canon, row, sheet_bytes


def test_create_makes_version_one_and_categories(trainer, make_single):
    question = services.question_create(data=make_single(), actor=trainer)
    assert question.version_number == 1 and question.status == Question.Status.DRAFT
    assert question.author == trainer
    assert QuestionCategory.objects.get(full_path="行政处罚法/简易程序").parent.full_path == "行政处罚法"
    version = question.versions.get()
    assert version.number == 1 and version.content["options"][2] == {"key": "C", "text": "七日", "correct": True}
    assert set(question.tags.names()) == {"简易程序"}
    assert AuditEntry.objects.filter(action="question.create", target_id=str(question.pk)).exists()


def test_edit_appends_a_version_and_leaves_the_old_one_unchanged(trainer, make_single):
    question = services.question_create(data=make_single(), actor=trainer)
    v1 = question.versions.get(number=1)
    frozen = dict(v1.content)
    edited = make_single(stem="简易程序当场处罚后,应在几日内备案?", points=Decimal("2"))
    question = services.question_update(question=question, data=edited, actor=trainer, note="改题干")
    assert question.version_number == 2
    assert list(question.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    v1.refresh_from_db()
    assert v1.content == frozen and v1.content["points"] == "1.00"
    v2 = question.versions.get(number=2)
    assert v2.content["stem"] == "简易程序当场处罚后,应在几日内备案?" and v2.content["points"] == "2.00"
    assert v2.note == "改题干"
    question.refresh_from_db()
    assert question.stem == v2.content["stem"] and question.points == Decimal("2")
    assert selectors.question_data(question).stem == v2.content["stem"]


def test_saving_unchanged_content_makes_no_version(trainer, make_single):
    question = services.question_create(data=make_single(), actor=trainer)
    services.question_update(question=question, data=make_single(), actor=trainer)
    assert question.versions.count() == 1


def test_invalid_question_is_refused(trainer, make_single):
    with pytest.raises(services.QuestionInvalid) as info:
        services.question_create(data=make_single(stem=" "), actor=trainer)
    assert "缺少题干" in info.value.errors
    assert not Question.objects.exists()


def test_status_change_is_audited_and_not_versioned(trainer, make_single):
    question = services.question_create(data=make_single(), actor=trainer)
    services.question_set_status(question=question, status="active", actor=trainer)
    question.refresh_from_db()
    assert question.status == "active" and question.versions.count() == 1
    assert AuditEntry.objects.filter(action="question.status").count() == 1


def test_flag_review_for_questions_citing_an_article(trainer, make_single):
    citing = services.question_create(data=make_single(), actor=trainer)
    other = services.question_create(data=make_single(stem="别的题", law_refs=[]), actor=trainer)
    count = services.question_flag_review(
        questions=selectors.questions_citing("行政处罚法》第五十二条"), reason="第五十二条已修订"
    )
    assert count == 1
    citing.refresh_from_db()
    other.refresh_from_db()
    assert citing.needs_review and citing.review_reason == "第五十二条已修订" and not other.needs_review


def _bank() -> list[dict]:
    return sorted(
        (canon(selectors.questions_data(Question.objects.all()))),
        key=lambda c: (c["category"], c["stem"]),
    )


@pytest.mark.parametrize(("fmt", "sample"), [("moodle-xml", MOODLE_XML), ("gift", GIFT)])
def test_import_export_import_gives_the_same_bank(fmt, sample, trainer):
    module = formats.get(fmt)
    services.questions_import(parsed=module.parse(sample), actor=trainer)
    first = _bank()
    assert len(first) == 5
    exported = module.export(selectors.questions_data(Question.objects.all()))
    # Versions are protected from deletion, so the second import goes into a fresh category tree.
    services.questions_import(parsed=module.parse(exported), actor=trainer, category_root="副本")
    copies = [
        {**c, "category": c["category"].removeprefix("副本/")} for c in _bank() if c["category"].startswith("副本/")
    ]
    assert sorted(copies, key=lambda c: (c["category"], c["stem"])) == first


def test_xlsx_import_export_import(trainer):
    content = sheet_bytes(
        [
            row(
                "单选",
                "行政处罚法自何时起施行?",
                ("2021年7月15日", "2021年1月22日", "", "", "", ""),
                "A",
                category="行政处罚法/总则",
            ),
            row("多选", "行政处罚的种类包括:", ("警告", "罚款", "记过", "", "", ""), "AB", 2, scoring="按选项给分"),
            row("判断", "协管员可以作出行政处罚决定。", answer="错误"),
            row("填空", "罚款应在收到决定书之日起____日内缴纳。", answer="十五|15"),
            row("案例分析", "某店外摆经营,请分析。", answer="违法事实、依据、程序", points=10),
        ]
    )
    services.questions_import(parsed=xlsx.parse(content), actor=trainer)
    first = _bank()
    again = xlsx.parse(xlsx.export(selectors.questions_data(Question.objects.all())))
    assert again.errors == []
    assert sorted(canon(again.questions), key=lambda c: (c["category"], c["stem"])) == first


def test_reimporting_the_same_file_creates_no_duplicates(trainer):
    services.questions_import(parsed=gift.parse(GIFT), actor=trainer)
    report = services.questions_import(parsed=gift.parse(GIFT), actor=trainer)
    assert report.created == [] and len(report.duplicates) == 5
    assert Question.objects.count() == 5


def test_dry_run_writes_nothing(trainer):
    report = services.questions_import(parsed=moodle_xml.parse(MOODLE_XML), actor=trainer, dry_run=True)
    assert len(report.created) == 5 and "行政处罚法/简易程序" in report.new_categories
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


BAD_FILES = [
    ("moodle-xml", b"<quiz><question type='multichoice'>", "XML 文件格式错误"),
    (
        "moodle-xml",
        MOODLE_XML.replace(b'fraction="100"><text>\xe4\xb8\x83', b'fraction="0"><text>\xe4\xb8\x83'),
        "第 1 题:没有正确选项",
    ),
    ("gift", GIFT.replace("{=十五 =15}".encode(), b"{=}"), "第 4 题:填空题缺少答案"),
    ("gift", GIFT + "\n\n第八题 {~甲 ~乙}\n".encode(), "第 8 题:没有正确选项"),
    ("gift", GIFT.replace("=七日 # 正确".encode(), "~七日".encode()), "第 1 题:没有正确选项"),
    (
        "xlsx",
        sheet_bytes([row("判断", "正常题", answer="正确"), row("问答", "题干", answer="A")]),
        "第 3 行:题型「问答」无效",
    ),
    ("xlsx", sheet_bytes([row("单选", "", ("甲", "乙", "", "", "", ""), "A")]), "第 2 行:缺少题干"),
    (
        "xlsx",
        sheet_bytes([row("判断", "正常题", answer="正确"), row("单选", "题干", ("甲", "乙", "", "", "", ""), "D")]),
        "第 3 行:答案「D」引用的选项D为空或不存在",
    ),
    ("xlsx", sheet_bytes([row("单选", "题干", ("甲", "乙", "", "", "", ""), "")]), "第 2 行:缺少答案"),
]


@pytest.mark.parametrize(("fmt", "content", "message"), BAD_FILES)
def test_bad_files_are_rejected_whole_and_write_nothing(fmt, content, message, trainer):
    parsed = formats.get(fmt).parse(content)
    assert not parsed.ok
    assert any(message in str(e) for e in parsed.errors), [str(e) for e in parsed.errors]
    with pytest.raises(services.ImportRejected):
        services.questions_import(parsed=parsed, actor=trainer)
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    assert not AuditEntry.objects.filter(action="question.import").exists()


def test_unsupported_types_are_skipped_and_the_rest_imported(trainer):
    parsed = moodle_xml.parse(MOODLE_XML)
    services.questions_import(parsed=parsed, actor=trainer)
    assert Question.objects.count() == 5 and len(parsed.warnings) == 2


def test_category_root_places_the_file_under_a_path(trainer):
    services.questions_import(parsed=gift.parse(GIFT), actor=trainer, category_root="2026年度/学法考试")
    assert set(Question.objects.values_list("category__full_path", flat=True)) == {
        "2026年度/学法考试/行政处罚法/简易程序",
        "2026年度/学法考试/城市管理/市容环境",
    }


def test_import_command_dry_run_and_errors(tmp_path, capsys, trainer):
    path = tmp_path / "bank.gift"
    path.write_bytes(GIFT)
    call_command("import_questions", str(path), "--dry-run")
    out = capsys.readouterr()
    assert "[预览,未写入]" in out.out and "新增 5 道试题" in out.out
    assert "第 6 题:不支持的题型「匹配题」,已跳过" in out.err
    assert not Question.objects.exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet_bytes([row("单选", "题干", ("甲", "乙", "", "", "", ""), "Z")]))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_questions", str(bad))
    assert "第 2 行:答案「Z」引用的选项Z为空或不存在" in capsys.readouterr().err
    assert not Question.objects.exists()
    call_command("import_questions", str(path), "--category", "练习")
    assert Question.objects.filter(status="active", category__full_path__startswith="练习/").count() == 5


def test_export_command_each_format(tmp_path, trainer):
    services.questions_import(parsed=moodle_xml.parse(MOODLE_XML), actor=trainer)
    for name in ("out.xml", "out.gift", "out.xlsx"):
        call_command("export_questions", str(tmp_path / name))
        parsed = formats.get(formats.guess(name)).parse((tmp_path / name).read_bytes())
        assert len(parsed.questions) == 5 and parsed.ok
    call_command("export_questions", "--format", "gift", "--category", "城市管理", str(tmp_path / "x.txt"))
    assert len(gift.parse((tmp_path / "x.txt").read_bytes()).questions) == 3


def test_versions_are_immutable_in_postgres(postgres_only, trainer, make_single):
    question = services.question_create(data=make_single(), actor=trainer)
    version = question.versions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        QuestionVersion.objects.filter(pk=version.pk).update(content={"stem": "篡改"})
    with pytest.raises(DatabaseError), transaction.atomic():
        QuestionVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.content["stem"] == make_single().stem
