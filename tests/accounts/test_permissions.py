"""The guard for a region typed into a write: inside the actor's area and in the region tree, or refused by field
in Indonesian (outside the area before unknown, so a code outside says nothing of whether it exists)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from naikkelas.accounts.permissions import region_in_area

pytestmark = pytest.mark.django_db


def test_region_in_area(personas, villages):
    admin = personas["admin_pesawaran"]
    assert region_in_area(admin, " 18.09 ").code == "18.09"
    assert region_in_area(admin, villages["gedong"].code).code == villages["gedong"].code
    assert region_in_area(personas["admin_lampung"], "18.01").code == "18.01"
    with translation.override("id"):
        for code, field, words in (
            ("", "region", "Wilayah wajib diisi"),
            ("18.01", "region", "Wilayah: 18.01 di luar wilayah kerja Anda."),
            ("99.99", "region", "di luar wilayah kerja Anda"),
            (
                "18.09.99.9999",
                "place",
                "Tempat: kode wilayah 18.09.99.9999 tidak ada di pohon wilayah Kemendagri.",
            ),
        ):
            with pytest.raises(ValidationError) as err:
                region_in_area(admin, code, field=field, label="Tempat" if field == "place" else None)
            assert words in err.value.message_dict[field][0], err.value.message_dict
