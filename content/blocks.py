"""StreamField blocks of lessons."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(label=_("视频文件(MP4)"))
    poster = ImageChooserBlock(label=_("封面图"), required=False)
    duration_seconds = blocks.IntegerBlock(label=_("时长(秒)"), min_value=1)
    caption = blocks.CharBlock(label=_("说明"), required=False)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "content/blocks/video.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("标题"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("附件")
        template = "content/blocks/attachment.html"


class ArticleCitationBlock(blocks.StructBlock):
    """Shows the article text in force on the reading date and says when it was amended."""

    article = SnippetChooserBlock("content.Article", label=_("法条"))
    note = blocks.CharBlock(label=_("提示"), required=False)

    class Meta:
        icon = "openquote"
        label = _("法条引用")
        template = "content/blocks/law_article.html"

    def get_context(self, value, parent_context=None):
        from .selectors import article_display

        context = super().get_context(value, parent_context=parent_context)
        context["shown"] = article_display(article=value["article"]) if value.get("article") else None
        return context


class CheckQuestionBlock(blocks.StructBlock):
    """An in-lesson check question for the learning app's anti-idle check. The answer is never rendered."""

    prompt = blocks.CharBlock(label=_("题目"))
    options = blocks.ListBlock(blocks.CharBlock(label=_("选项")), label=_("选项"), min_num=2)
    answer_index = blocks.IntegerBlock(label=_("正确选项序号(从 0 开始)"), min_value=0)

    class Meta:
        icon = "help"
        label = _("随堂检查题")
        template = "content/blocks/check_question.html"

    def clean(self, value):
        value = super().clean(value)
        if value["answer_index"] >= len(value["options"]):
            from django.core.exceptions import ValidationError
            from wagtail.blocks.struct_block import StructBlockValidationError

            raise StructBlockValidationError(
                block_errors={"answer_index": ValidationError(_("正确选项序号超出选项个数"))}
            )
        return value

    def get_searchable_content(self, value):
        return []


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("正文"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    video = VideoBlock()
    attachment = AttachmentBlock()
    law_article = ArticleCitationBlock()
    check = CheckQuestionBlock()
