"""Organisation units: the province, its five economic zones, the 21 prefecture-level and
183 county-level divisions, and the provincial departments — one tree, loaded from the
parser's gazetteer files so the two never disagree."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from planwatch.orgunits.choices import OrgUnitKind


class OrgUnit(models.Model):
    """A government body or division that can lead, carry out or be assessed for a task:
    四川省, a zone (a group of prefectures, not an administrative level), a 市/州, a 县/市/区,
    or a 省直部门. Permissions are scoped by this tree (a role held on a unit covers every
    unit below it)."""

    # Stable key: the adcode for divisions, "zone:<slug>" for zones, "dept:<slug>" for
    # departments.
    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=32, blank=True, db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgUnitKind.choices, db_index=True)
    adcode = models.CharField(_("行政区划代码"), max_length=12, null=True, blank=True, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("/510000/zone:chengdu-plain/510100/"), so "this unit and
    # everything below it" is one indexed prefix query on SQLite and PostgreSQL alike.
    path = models.CharField(max_length=255, db_index=True)
    sort_order = models.PositiveIntegerField(default=0)
    former_names = models.CharField(_("曾用名"), max_length=255, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The unit's page: a zone page for zones, the place page for everything else."""
        if self.kind == OrgUnitKind.ZONE:
            return reverse("zone_detail", args=[self.code.removeprefix("zone:")])
        return reverse("place_detail", args=[self.code])


class OrgUnitAlias(models.Model):
    """Another name a unit goes by in the lists people write: the full name of its
    government (宜宾市人民政府 for 宜宾市), a common abbreviation (省发改委). Read when a list is
    imported; the same name may stand for two units (市中区人民政府), which the import
    reports as ambiguous."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("组织单位"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("别名"), max_length=64, db_index=True)
    # True for aliases derived from the unit's name when the reference data is loaded
    # (kept in step with it); False for those added by hand or from data/aliases.csv.
    generated = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = (
            models.UniqueConstraint(fields=("org_unit", "name"), name="orgunitalias_unit_name"),
        )
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")

    def __str__(self) -> str:
        return self.name
