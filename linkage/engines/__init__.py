"""Engines that run a match job: ``embedded`` (this process and its forked workers, the default)
and ``spark`` (Apache Spark, :mod:`linkage.engines.spark`, for jobs beyond one machine).

Both run the same stage functions (normalizers, ``keyed`` blocking keys, ``pair_frame`` and
``compare_pairs``, ``FellegiSunter``) and give the same matches; see ``link(engine=...)``.
"""

ENGINES = ("embedded", "spark")
