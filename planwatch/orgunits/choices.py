from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    ZONE = "zone", _("经济区")
    PREFECTURE = "prefecture", _("市州")
    COUNTY = "county", _("县市区")
    DEPARTMENT = "department", _("省直部门")
