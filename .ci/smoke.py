"""The production smoke test's scenario, over HTTPS through nginx as an office's admin would go: log in, import a
small list through the page, wait for the worker, see the records, export, log out; then /healthz and /metrics.

    python .ci/smoke.py https://127.0.0.1:8443 USERNAME PASSWORD LOGDIR     (started by .ci/smoke)"""

import re
import sys
import time
from pathlib import Path

import requests

BASE, USERNAME, PASSWORD, LOGS = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
NIK = "1809015708850001"
LIST = (
    "NO,NAMA USAHA,NAMA PEMILIK,NIK,NO. HP/WA,ALAMAT,DESA/KEL,KEC.,OMZET PER BULAN (Rp),TENAGA KERJA,JENIS USAHA\n"
    f"1,Keripik Asap Uji Produksi,Siti Rahayu,{NIK},081234567890,Dusun II,Bagelen,Gedong Tataan,1.500.000,3,Makanan olahan\n"
    '2,Kopi Uji Produksi,Budi Santoso,1809011203900002,0813-1111-2222,Jl. Raya No. 5,Sukadadi,Gedong Tataan,"1,5 jt",2,Kopi\n'
)
session = requests.Session()
session.trust_env = False  # no proxy and no CA bundle from the environment: this server, its own certificate
session.verify = str(LOGS.parent / "cert.pem")  # the smoke test's self-signed certificate, trusted by name
started = time.monotonic()


def step(text: str) -> None:
    print(f"[{time.monotonic() - started:5.1f} s] {text}", flush=True)


def post(path: str, **kwargs) -> requests.Response:
    data = {"csrfmiddlewaretoken": session.cookies.get("csrftoken"), **kwargs.pop("data", {})}
    return session.post(BASE + path, data=data, headers={"Referer": BASE + path}, timeout=60, **kwargs)


def wait_for(pk: int, what: str) -> None:
    for _ in range(240):
        answer = session.get(f"{BASE}/impor/{pk}/progres/", timeout=30)
        if answer.status_code == 204:  # the work is over: the page reloads
            return
        time.sleep(0.5)
    raise SystemExit(f"the worker did not finish the {what} in 120 s")


assert session.get(BASE + "/masuk/", timeout=30).status_code == 200
answer = post("/masuk/", data={"username": USERNAME, "password": PASSWORD})
assert answer.url.endswith("/dasbor/beranda/"), (answer.status_code, answer.url)
step("logged in")

assert session.get(BASE + "/impor/", timeout=30).status_code == 200
answer = post("/impor/", data={"kind": "businesses", "region": "18.09"},
              files={"file": ("umkm-uji.csv", LIST.encode(), "text/csv")})  # fmt: skip
match = re.search(r"/impor/(\d+)/$", answer.url)
assert match, (answer.status_code, answer.url, answer.text[:500])
pk = int(match.group(1))
assert "Keripik Asap Uji Produksi" in answer.text  # the preview read the file
step(f"uploaded as /impor/{pk}/")
post(f"/impor/{pk}/periksa/")
wait_for(pk, "check")
step("checked by the worker")
post(f"/impor/{pk}/jalankan/")
wait_for(pk, "import")
step("imported by the worker")

listing = session.get(BASE + "/usaha/", params={"q": "produksi"}, timeout=30).text
assert "Keripik Asap Uji Produksi" in listing and "Kopi Uji Produksi" in listing, listing[:2000]
assert NIK not in listing  # the list shows owners masked, never the NIK
step("the records are listed")
export = session.get(BASE + "/usaha/ekspor.csv", timeout=60)
assert export.status_code == 200 and "Kopi Uji Produksi" in export.text and NIK not in export.text
step("exported")
post("/keluar/")
assert session.get(BASE + "/dasbor/beranda/", timeout=30).url.split("?")[0].endswith("/masuk/")
step("logged out")

health = session.get(BASE + "/healthz", timeout=30)
assert health.status_code == 200, health.text
assert health.json()["checks"]["worker"]["ok"]
metrics = session.get(BASE + "/metrics", timeout=30).text
created = re.search(r'^naikkelas_import_rows_total\{outcome="created"\} (\S+)$', metrics, flags=re.M)
assert created and float(created.group(1)) == 2.0, [
    m for m in metrics.splitlines() if "naikkelas" in m
]  # counted in the worker, read through gunicorn
step("healthz 200, metrics count the worker's import")

for log in LOGS.glob("*.log"):
    assert NIK not in log.read_text(errors="replace"), f"a NIK in {log.name}"
step("no NIK in the logs")
print("smoke test passed")
