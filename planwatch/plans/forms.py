"""Forms of the plans pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

# The parser refuses bigger inputs anyway; refusing here spares reading them.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        # An empty file is reported by the parser with the other per-file results.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        items = data if isinstance(data, (list, tuple)) else [data]
        return [single(d, initial) for d in items if d] or [single(None, initial)]


class PlanUploadForm(forms.Form):
    documents = MultipleFileField(
        label=_("规划文件"),
        help_text=_("可同时选择多个文件：PDF 文本、纯文本、Markdown、HTML、DOCX 或 PDF。"),
    )

    def clean_documents(self) -> list[UploadedFile[Any]]:
        files: list[UploadedFile[Any]] = self.cleaned_data["documents"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
        for f in files:
            if (f.size or 0) > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    _("%(name)s 超过 %(mb)d MB 上限。")
                    % {"name": f.name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
        return files
