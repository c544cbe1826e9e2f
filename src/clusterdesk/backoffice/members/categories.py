"""The cluster's membership categories and fee grid."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from clusterdesk.crm.forms import FeeRuleForm, MembershipCategoryForm
from clusterdesk.crm.models import FeeRule, MembershipCategory
from clusterdesk.crm.services import memberships
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class CategoriesView(ClusterPermissionMixin, View):
    """The cluster's membership categories and fee grid."""

    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(
            MembershipCategoryForm(prefix="category"),
            FeeRuleForm(prefix="rule", cluster=self.cluster),
        )

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        category_form = MembershipCategoryForm(prefix="category")
        rule_form = FeeRuleForm(prefix="rule", cluster=self.cluster)
        if "category-name" in request.POST:
            category_form = MembershipCategoryForm(request.POST, prefix="category")
            if category_form.is_valid() and apply_service(
                category_form,
                lambda: memberships.membership_category_save(
                    actor=request.user,
                    category=MembershipCategory(cluster=self.cluster),
                    **category_form.cleaned_data,
                ),
            ):
                return redirect("members:categories", cluster_slug=self.cluster.slug)
        else:
            rule_form = FeeRuleForm(request.POST, prefix="rule", cluster=self.cluster)
            if rule_form.is_valid() and apply_service(
                rule_form,
                lambda: memberships.fee_rule_add(
                    actor=request.user, cluster=self.cluster, **rule_form.cleaned_data
                ),
            ):
                return redirect("members:categories", cluster_slug=self.cluster.slug)
        return self.render(category_form, rule_form, status=400)

    def render(self, category_form: Any, rule_form: Any, status: int = 200) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "categories": MembershipCategory.objects.filter(cluster=self.cluster),
            "rules": FeeRule.objects.filter(cluster=self.cluster).select_related("category"),
            "category_form": category_form,
            "rule_form": rule_form,
        }
        return render(self.request, "crm/categories.html", context, status=status)
