"""The words of the personalisation band in the leaflet's language: the Rx number's label, the date
dispensed, and the reminder on later pages (the patient's details themselves are printed as given).

Languages without an entry get English words: so do Arabic, Persian, Urdu, Hebrew, Hindi and Bengali
leaflets, whose words the band cannot shape yet (it draws characters, not shaped glyphs).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from leaflet.options import language_key
from leaflet.site import BAND_LABEL_KEYS, Site


@dataclass(frozen=True)
class BandLabels:
    """``{rx}``, ``{date}`` and ``{name}`` are filled in when drawn."""

    rx: str
    dispensed: str
    reminder: str
    """Later pages: ``{name}`` is the patient's name (and the Rx number after it)."""


BAND_LABELS = {
    language: BandLabels(*texts)
    for language, texts in {
        "en": ("Rx {rx}", "Dispensed {date}", "Dispensed for {name}"),
        "bg": ("Рецепта № {rx}", "Отпуснато на {date}", "Отпуснато за {name}"),
        "cs": ("Recept č. {rx}", "Vydáno {date}", "Vydáno pro {name}"),
        "da": ("Recept nr. {rx}", "Udleveret {date}", "Udleveret til {name}"),
        "de": ("Rezept-Nr. {rx}", "Abgegeben am {date}", "Abgegeben für {name}"),
        "el": ("Συνταγή αρ. {rx}", "Χορηγήθηκε {date}", "Χορηγήθηκε για {name}"),
        "es": ("Receta n.º {rx}", "Dispensado el {date}", "Dispensado para {name}"),
        "et": ("Retsept nr {rx}", "Väljastatud {date}", "Väljastatud: {name}"),
        "fi": ("Resepti nro {rx}", "Toimitettu {date}", "Toimitettu: {name}"),
        "fr": ("Ordonnance n° {rx}", "Délivré le {date}", "Délivré pour {name}"),
        "hr": ("Recept br. {rx}", "Izdano {date}", "Izdano za {name}"),
        "hu": ("Vény sz. {rx}", "Kiadva: {date}", "Kiadva: {name}"),
        "it": ("Ricetta n. {rx}", "Dispensato il {date}", "Dispensato per {name}"),
        "lt": ("Receptas Nr. {rx}", "Išduota {date}", "Išduota: {name}"),
        "lv": ("Recepte Nr. {rx}", "Izsniegts {date}", "Izsniegts: {name}"),
        "nl": ("Recept nr. {rx}", "Afgeleverd op {date}", "Afgeleverd voor {name}"),
        "pl": ("Recepta nr {rx}", "Wydano {date}", "Wydano dla: {name}"),
        "pt": ("Receita n.º {rx}", "Dispensado em {date}", "Dispensado para {name}"),
        "ro": ("Rețeta nr. {rx}", "Eliberat la {date}", "Eliberat pentru {name}"),
        "sk": ("Recept č. {rx}", "Vydané {date}", "Vydané pre {name}"),
        "sl": ("Recept št. {rx}", "Izdano {date}", "Izdano za {name}"),
        "sv": ("Recept nr {rx}", "Expedierat {date}", "Expedierat till {name}"),
        "ht": ("Preskripsyon {rx}", "Bay {date}", "Bay pou {name}"),
        "ru": ("Рецепт № {rx}", "Отпущено {date}", "Отпущено для: {name}"),
        "tr": ("Reçete no. {rx}", "Verildi: {date}", "Verildiği kişi: {name}"),
        "uk": ("Рецепт № {rx}", "Відпущено {date}", "Відпущено для: {name}"),
        "vi": ("Đơn thuốc số {rx}", "Cấp ngày {date}", "Cấp cho {name}"),
        "zh-Hans": ("处方号 {rx}", "配药日期 {date}", "配药对象：{name}"),
        "zh-Hant": ("處方號 {rx}", "調劑日期 {date}", "調劑對象：{name}"),
        "ja": ("処方箋番号 {rx}", "調剤日 {date}", "調剤対象：{name}"),
        "ko": ("처방 번호 {rx}", "조제일 {date}", "조제 대상: {name}"),
    }.items()
}


def band_labels_for(language: str | None, site: Site | None = None) -> BandLabels:
    """The band's words for a BCP 47 ``language`` tag (as the leaflet's labels), English when unknown, with
    the rewordings of the ``site`` configuration for that language."""
    key = language_key(language)
    labels = BAND_LABELS.get(key, BAND_LABELS["en"])
    words = site.label_overrides(key) if site is not None else {}
    return replace(labels, **{name: text for name, text in words.items() if name in BAND_LABEL_KEYS})
