"""The words of the run report in Spanish and English: headings, labels, banners, the names of
comparisons, evaluation figures and blocking rules. Every word a report shows comes from here
(or from the model's level texts and :mod:`linkage.reasons`), so that a report is in one language
throughout.
"""

from __future__ import annotations

TEXT = {
    "es": {
        "title": "Informe de la corrida",
        "inputs": "Archivos de entrada",
        "side": {"custody": "Custodia (EE. UU.)", "field": "Reportes de campo"},
        "file": "Archivo",
        "counts": {
            "rows_read": "Filas leídas",
            "rows_rejected": "Filas rechazadas",
            "rows_scored": "Registros comparados",
            "rows_with_candidates": "Con candidatos",
            "rows_without_candidates": "Sin candidatos",
            "values_ignored": "Valores ilegibles (ignorados)",
        },
        "rejects": "Rechazos",
        "no_rejects": "Ningún rechazo.",
        "reading": "Lectura",
        "read_as": "leído como {encoding}",
        "redecoded": "{n} filas decodificadas como {encoding}",
        "repaired": "{n} valores reparados (mojibake)",
        "header_row": "encabezados en la fila {n}",
        "sheet": "hoja {name}",
        "ignored": "Columnas ignoradas",
        "closest": "la columna conocida más parecida: {column}",
        "ignored_note": "Para usarlas, asígnelas con --mapping.",
        "column": "Columna",
        "reason": "Motivo",
        "kind": "Tipo",
        "rows": "Filas",
        "blocking": "Reglas de bloqueo",
        "rule": "Regla",
        "description": "Descripción",
        "pairs": "Pares",
        "new_pairs": "Pares nuevos",
        "pairs_scored": "Pares comparados en total",
        "model": "Peso de cada nivel del modelo",
        "model_note": (
            "Bits = log2(m/u): cuánto acerca (verde) o aleja (rojo) de una coincidencia cada "
            "nivel de cada comparación. Un dato que falta pesa 0."
        ),
        "prior": "Probabilidad previa de coincidencia",
        "em": "Estimación EM",
        "warn_not_converged": ("Atención: la estimación EM {em}; los pesos pueden no ser fiables."),
        "warn_prior_only": (
            "Atención: los datos no permiten aprender {names}; sus pesos son los del modelo "
            "previo que trae el programa."
        ),
        "warn_no_evidence": (
            "Atención: los datos no permiten aprender {names} y no hay modelo previo: no "
            "cuentan como evidencia."
        ),
        "reliability": (
            "Calibración: tasa observada de coincidencias según la probabilidad predicha"
        ),
        "predicted": "Probabilidad predicha",
        "observed": "Tasa observada",
        "levels_table": "Tabla de m, u y bits",
        "comparison": "Comparación",
        "level": "Nivel",
        "scores": "Distribución de puntajes",
        "scores_note": "Peso (bits) de todos los pares comparados; escala logarítmica.",
        "weight": "peso (bits)",
        "n_pairs": "pares",
        "bands": "Pistas por nivel de confianza",
        "band": "Confianza",
        "band_names": {
            "high": "Alta (≥ 90 %)",
            "medium": "Media (50–90 %)",
            "low": "Baja (10–50 %)",
            "very_low": "Muy baja (< 10 %)",
        },
        "cases_best": "Casos (según su mejor candidato)",
        "pairs_kept": "Pares conservados",
        "no_candidates": "Casos sin ningún candidato",
        "decisions": "Decisiones de revisores aplicadas",
        "decision_names": {"match": "Confirmadas", "unsure": "En duda"},
        "example": "Ejemplo de explicación: caso {c} y reporte {f}",
        "evaluation": "Evaluación contra la verdad conocida",
        "figure": "Medida",
        "value": "Valor",
        "settings": "Parámetros",
        "setting": "Parámetro",
        "version": "Versión",
        "seed": "Semilla",
        "kinds": {"row": "fila", "value": "valor"},
        "em_state": {
            True: "convergió tras {iterations} iteraciones",
            False: "no convergió tras {iterations} iteraciones",
        },
        "em_details": {
            "max_iterations": "máximo {max_iterations}",
            "last_change": "último cambio {last_change:.2g}",
            "tolerance": "tolerancia {tolerance:.0e}",
        },
        "total": "Total",
        "comparisons": {
            "name": "Nombre",
            "sex": "Sexo",
            "birth_date": "Fecha de nacimiento",
            "place": "Lugar",
            "national_id": "Documento de identidad",
            "a_number": "Número A",
            "phone": "Teléfono",
            "children": "Hijos",
        },
        "metrics": {
            "custody_with_true_match": "Casos con una coincidencia verdadera",
            "true_pairs": "Pares verdaderos",
            "recall_at_1": "Exhaustividad en el primer puesto",
            "recall_at_5": "Exhaustividad en los 5 primeros",
            "recall_at_10": "Exhaustividad en los 10 primeros",
            "mrr": "Rango recíproco medio",
            "precision_at_threshold": "Precisión en el umbral",
            "recall_at_threshold": "Exhaustividad en el umbral",
            "f1_at_threshold": "F1 en el umbral",
            "threshold": "Umbral",
            "precision_at_best": "Precisión en el mejor umbral",
            "recall_at_best": "Exhaustividad en el mejor umbral",
            "f1_at_best": "F1 en el mejor umbral",
            "best_threshold": "Mejor umbral",
            "brier": "Puntaje de Brier",
            "blocking_recall": "Exhaustividad del bloqueo",
            "scored_pairs": "Pares comparados",
        },
        # the default blocking rules (linkage.blocking.DEFAULT_RULES) by name; another rule shows
        # its own description
        "rules": {
            "surname_given": "primer apellido y primer nombre que suenan igual",
            "both_surnames": "ambos apellidos suenan igual",
            "swapped_surnames": (
                "el segundo apellido de custodia suena como el primero del reporte, mismo nombre"
            ),
            "given_birth_year": (
                "primer nombre que suena igual y un posible año de nacimiento común"
            ),
            "surname_birth_year": (
                "primer apellido que suena igual y un posible año de nacimiento común"
            ),
            "given_municipality": "primer nombre que suena igual y el mismo municipio",
            "name_word_pair": "dos palabras del nombre suenan igual, en cualquier posición",
            "name_starts": (
                "el primer nombre y el primer apellido empiezan con las mismas tres letras"
            ),
            "initial_surname": (
                "custodia da una inicial del nombre y el reporte un nombre que empieza con ella; "
                "primer apellido que suena igual"
            ),
            "surname_initial": (
                "el reporte da una inicial del nombre y custodia un nombre que empieza con ella; "
                "primer apellido que suena igual"
            ),
            "surname_place": "primer apellido que suena igual y el mismo lugar",
            "given_place": "primer nombre que suena igual y el mismo lugar",
            "surname_start_place_year": (
                "el primer apellido empieza con las mismas tres letras, el mismo lugar y años de "
                "nacimiento a dos o menos de distancia"
            ),
            "birth_date": "la misma fecha de nacimiento completa",
            "a_number": "el mismo número A",
            "national_id": "el mismo documento de identidad",
            "phone": "un teléfono en común",
            "child": "un hijo con un nombre que suena igual y el mismo año de nacimiento",
        },
    },
    "en": {
        "title": "Run report",
        "inputs": "Input files",
        "side": {"custody": "Custody (U.S.)", "field": "Field reports"},
        "file": "File",
        "counts": {
            "rows_read": "Rows read",
            "rows_rejected": "Rows rejected",
            "rows_scored": "Records compared",
            "rows_with_candidates": "With candidates",
            "rows_without_candidates": "Without candidates",
            "values_ignored": "Unreadable values (ignored)",
        },
        "rejects": "Rejects",
        "no_rejects": "No rejects.",
        "reading": "Reading",
        "read_as": "read as {encoding}",
        "redecoded": "{n} rows decoded as {encoding}",
        "repaired": "{n} values repaired (mojibake)",
        "header_row": "headers in row {n}",
        "sheet": "sheet {name}",
        "ignored": "Ignored columns",
        "closest": "closest known column: {column}",
        "ignored_note": "To use them, map them with --mapping.",
        "column": "Column",
        "reason": "Reason",
        "kind": "Kind",
        "rows": "Rows",
        "blocking": "Blocking rules",
        "rule": "Rule",
        "description": "Description",
        "pairs": "Pairs",
        "new_pairs": "New pairs",
        "pairs_scored": "Pairs compared in all",
        "model": "Model weight of each level",
        "model_note": (
            "Bits = log2(m/u): how far each level of each comparison moves a pair towards (green) "
            "or away from (red) a match. A missing value weighs 0."
        ),
        "prior": "Prior probability of a match",
        "em": "EM estimation",
        "warn_not_converged": "Warning: EM {em}; the weights may not be reliable.",
        "warn_prior_only": (
            "Warning: the data cannot teach {names}; their weights are the shipped prior model's."
        ),
        "warn_no_evidence": (
            "Warning: the data cannot teach {names} and there is no prior model: they carry "
            "no evidence."
        ),
        "reliability": "Calibration: observed match rate by predicted probability",
        "predicted": "Predicted probability",
        "observed": "Observed rate",
        "levels_table": "Table of m, u and bits",
        "comparison": "Comparison",
        "level": "Level",
        "scores": "Score distribution",
        "scores_note": "Weight (bits) of every pair compared; log scale.",
        "weight": "weight (bits)",
        "n_pairs": "pairs",
        "bands": "Leads by confidence band",
        "band": "Confidence",
        "band_names": {
            "high": "High (≥ 90%)",
            "medium": "Medium (50–90%)",
            "low": "Low (10–50%)",
            "very_low": "Very low (< 10%)",
        },
        "cases_best": "Cases (by their best candidate)",
        "pairs_kept": "Pairs kept",
        "no_candidates": "Cases without any candidate",
        "decisions": "Reviewers' decisions applied",
        "decision_names": {"match": "Confirmed", "unsure": "Unsure"},
        "example": "Example explanation: case {c} and report {f}",
        "evaluation": "Evaluation against the known truth",
        "figure": "Figure",
        "value": "Value",
        "settings": "Settings",
        "setting": "Setting",
        "version": "Version",
        "seed": "Seed",
        "kinds": {"row": "row", "value": "value"},
        "em_state": {
            True: "converged after {iterations} iterations",
            False: "did NOT converge after {iterations} iterations",
        },
        "em_details": {
            "max_iterations": "at most {max_iterations}",
            "last_change": "last change {last_change:.2g}",
            "tolerance": "tolerance {tolerance:.0e}",
        },
        "total": "Total",
        "comparisons": {
            "name": "Name",
            "sex": "Sex",
            "birth_date": "Date of birth",
            "place": "Place",
            "national_id": "National ID",
            "a_number": "A-number",
            "phone": "Phone",
            "children": "Children",
        },
        "metrics": {
            "custody_with_true_match": "Cases with a true match",
            "true_pairs": "True pairs",
            "recall_at_1": "Recall at rank 1",
            "recall_at_5": "Recall in the top 5",
            "recall_at_10": "Recall in the top 10",
            "mrr": "Mean reciprocal rank",
            "precision_at_threshold": "Precision at the threshold",
            "recall_at_threshold": "Recall at the threshold",
            "f1_at_threshold": "F1 at the threshold",
            "threshold": "Threshold",
            "precision_at_best": "Precision at the best threshold",
            "recall_at_best": "Recall at the best threshold",
            "f1_at_best": "F1 at the best threshold",
            "best_threshold": "Best threshold",
            "brier": "Brier score",
            "blocking_recall": "Blocking recall",
            "scored_pairs": "Pairs compared",
        },
        "rules": {},
    },
}
