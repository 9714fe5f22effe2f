## First-run setup's code.

setup-code-missing = Den Einrichtungscode eingeben: Das Panel hat ihn beim Start in sein Log geschrieben (nach „setup code“ suchen), oder `panel setup-code` dort ausführen, wo das Panel läuft.
setup-code-wrong = Dieser Einrichtungscode stimmt nicht: aus dem Log des Panels kopieren.
