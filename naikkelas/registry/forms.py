"""Forms render the inputs; the services validate. Every value is taken as typed, then cleaned once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from naikkelas.registry.constants import (
    BusinessStatus,
    CooperativeLevel,
    CooperativeStatus,
    CooperativeType,
    DocumentKind,
)


def _opt(choices):
    return [("", "—"), *choices]


class ServiceForm(forms.Form):
    """All fields optional text: the service decides what is valid and says so in Indonesian."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def apply_errors(self, err) -> None:
        for field, messages in err.message_dict.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class BusinessForm(ServiceForm):
    name = forms.CharField(label=_("Business name"), max_length=300)
    owner_name = forms.CharField(label=_("Owner name"), max_length=300)
    owner_nik = forms.CharField(
        label=_("Owner NIK"), max_length=40, help_text=_("16 digits; stored encrypted and shown masked.")
    )
    owner_phone = forms.CharField(label=_("Owner phone"), max_length=40)
    owner_email = forms.CharField(label=_("Owner e-mail"), max_length=254)
    nib = forms.CharField(label=_("NIB"), max_length=40, help_text=_("13 digits from OSS"))
    sector = forms.CharField(label=_("Sector"), max_length=200)
    kbli = forms.CharField(label=_("KBLI code"), max_length=20, help_text=_("5 digits, KBLI 2020"))
    address = forms.CharField(label=_("Address"), max_length=300)
    village = forms.CharField(
        label=_("Village code"), max_length=20, help_text=_("Kemendagri code, e.g. 18.09.01.2006")
    )
    latitude = forms.CharField(label=_("Latitude"), max_length=20)
    longitude = forms.CharField(label=_("Longitude"), max_length=20)
    phone = forms.CharField(label=_("Business phone"), max_length=40)
    founded = forms.CharField(
        label=_("Founded"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    employees = forms.CharField(
        label=_("Employees"), max_length=20, widget=forms.NumberInput(attrs={"min": 0})
    )
    assets = forms.CharField(
        label=_("Assets excluding land and buildings (Rp)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    annual_revenue = forms.CharField(
        label=_("Annual revenue (Rp)"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=_opt(BusinessStatus.choices))
    note = forms.CharField(label=_("Note for the history"), max_length=255)

    def service_data(self) -> dict:
        """Raw typed values (not Django's cleaning) so that the service sees exactly what was typed."""
        data = {name: self.data.get(name, "") for name in self.fields if name in self.data}
        data.pop("note", None)
        return data


class CooperativeForm(ServiceForm):
    name = forms.CharField(label=_("Cooperative name"), max_length=300)
    legal_entity_number = forms.CharField(label=_("Legal entity number"), max_length=100)
    legal_entity_date = forms.CharField(
        label=_("Legal entity date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    nik_koperasi = forms.CharField(label=_("Nomor Induk Koperasi"), max_length=40, help_text=_("16 digits"))
    type = forms.ChoiceField(label=_("Cooperative type"), choices=_opt(CooperativeType.choices))
    level = forms.ChoiceField(label=_("Level"), choices=_opt(CooperativeLevel.choices))
    members = forms.CharField(label=_("Members"), max_length=20, widget=forms.NumberInput(attrs={"min": 0}))
    village = forms.CharField(
        label=_("Village code"), max_length=20, help_text=_("Kemendagri code, e.g. 18.09.01.2006")
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    chair_name = forms.CharField(label=_("Chair"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=_opt(CooperativeStatus.choices))

    def service_data(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields if name in self.data}


class DocumentForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Document"), choices=_opt(DocumentKind.choices))
    number = forms.CharField(label=_("Document number"), max_length=100)
    issued_on = forms.CharField(
        label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    expires_on = forms.CharField(
        label=_("Expiry date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def service_data(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}
