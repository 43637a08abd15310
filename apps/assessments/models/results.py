"""A run's results as typed rows (figures, grades, bins, VaR, concentration, vintages, roll
rates, ladder, curves) and per-row result columns as .npy blobs."""

from django.db import models

from apps.assessments.models.runs import AssessmentRun


class FigureCode(models.TextChoices):
    """Summary figures a run stores (segment: '' for the whole, else a feature, asset class,
    grade or scenario)."""

    ROWS = "rows", "Rows used"
    DEFAULTS = "defaults", "Defaults"
    INFORMATION_VALUE = "information_value", "Information value"
    AUC = "auc", "AUC"
    GINI = "gini", "Gini"
    KS = "ks", "Kolmogorov-Smirnov"
    PSI = "psi", "Population stability index"
    HOSMER_LEMESHOW = "hosmer_lemeshow", "Hosmer-Lemeshow statistic"
    HOSMER_LEMESHOW_P = "hosmer_lemeshow_p", "Hosmer-Lemeshow p-value"
    PORTFOLIO_PD = "portfolio_pd", "EAD-weighted PD"
    EXPECTED_LOSS = "expected_loss", "Expected loss"
    EXPOSURE = "exposure", "Exposure at default"
    VAR_LIMIT_UTILISATION = "var_limit_utilisation", "VaR 99% as % of the limit"
    COMPONENT_VAR = "component_var", "Component VaR 99% (parametric)"
    BACKTEST_EXCEPTIONS = "backtest_exceptions", "Backtest exceptions"
    BACKTEST_DAYS = "backtest_days", "Backtest days"
    KUPIEC_LR = "kupiec_lr", "Kupiec POF statistic"
    KUPIEC_P = "kupiec_p", "Kupiec POF p-value"
    CHRISTOFFERSEN_LR = "christoffersen_lr", "Christoffersen independence statistic"
    CHRISTOFFERSEN_P = "christoffersen_p", "Christoffersen independence p-value"
    LIQUID_ASSETS = "liquid_assets", "Liquid assets after haircut"
    NET_OUTFLOWS_30D = "net_outflows_30d", "Stressed net outflows, 30 days"
    COVERAGE_RATIO = "coverage_ratio", "Coverage ratio (LCR-style)"
    SURVIVAL_DAYS = "survival_days", "Survival horizon (days)"
    FUNDING_HHI = "funding_hhi", "Funding concentration (HHI)"
    STRESS_LOSS = "stress_loss", "Market loss under the scenario"
    T_DOF = "t_dof", "Student-t degrees of freedom (fitted or given)"
    VAR_99 = "var_99", "VaR 99% 1-day (historical)"
    CONCENTRATION_HHI = "concentration_hhi", "Concentration of EAD (HHI) by a dimension"
    TOP_SHARE = "top_share", "Share of EAD of the N largest segments of a dimension"
    OVERDUE_RATE = "overdue_rate", "Past-due rate (EAD- or balance-weighted)"
    NPL_RATE = "npl_rate", "Non-performing rate (EAD- or balance-weighted)"
    SEGMENT_SHARE = "segment_share", "EAD share of one segment (dimension:segment)"


class RunFigure(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField(max_length=30, choices=FigureCode.choices)
    segment = models.CharField(max_length=120, blank=True)
    value = models.DecimalField(max_digits=28, decimal_places=8)

    class Meta:
        ordering = ["code", "segment"]
        constraints = [
            models.UniqueConstraint(fields=["run", "code", "segment"], name="run_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.segment} = {self.value}"


class RunGrade(models.Model):
    """One grade of a scorecard run: population, defaults, PDs and expected loss."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(max_length=8)
    min_score = models.FloatField(null=True)
    count = models.PositiveIntegerField()
    defaults = models.PositiveIntegerField(null=True)
    pd = models.FloatField(help_text="The grade's PD (development default rate).")
    observed_rate = models.FloatField(null=True)
    binomial_p = models.FloatField(null=True, help_text="Two-sided binomial test of the PD.")
    exposure = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    expected_loss = models.DecimalField(max_digits=24, decimal_places=2, default=0)

    class Meta:
        ordering = ["grade"]

    def __str__(self) -> str:
        return f"grade {self.grade}"


class RunBin(models.Model):
    """One bin of one feature's WoE table (scorecard development)."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="bins")
    feature = models.CharField(max_length=60)
    index = models.PositiveSmallIntegerField()
    upper = models.FloatField(null=True, help_text="Upper edge (inclusive); null: no bound.")
    count = models.PositiveIntegerField()
    defaults = models.PositiveIntegerField()
    woe = models.FloatField()
    iv = models.FloatField()
    points = models.FloatField()

    class Meta:
        ordering = ["feature", "index"]

    def __str__(self) -> str:
        return f"{self.feature} bin {self.index}"


class VarMethod(models.TextChoices):
    HISTORICAL = "historical", "Historical simulation"
    PARAMETRIC = "parametric", "Parametric (normal)"
    STUDENT_T = "student_t", "Parametric (Student-t)"
    MONTE_CARLO = "monte_carlo", "Monte Carlo (correlated normal)"


class RunVar(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="var_rows")
    method = models.CharField(max_length=12, choices=VarMethod.choices)
    confidence = models.DecimalField(max_digits=5, decimal_places=4)
    horizon_days = models.PositiveSmallIntegerField()
    var = models.DecimalField(max_digits=24, decimal_places=2)
    es = models.DecimalField(max_digits=24, decimal_places=2)

    class Meta:
        ordering = ["method", "confidence"]

    def __str__(self) -> str:
        return f"{self.method} {self.confidence}"


class ConcentrationDimension(models.TextChoices):
    INDUSTRY = "industry", "Industry"
    MATURITY = "maturity", "Remaining maturity bucket"
    GRADE = "grade", "Grade"
    SEGMENT = "segment", "Segment"


class RunConcentrationRow(models.Model):
    """One segment of one dimension of a loan book: loans, EAD, share, past-due and NPL rates."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="concentration")
    dimension = models.CharField(max_length=10, choices=ConcentrationDimension.choices)
    segment = models.CharField(max_length=120)
    rank = models.PositiveIntegerField(help_text="1 = the largest share.")
    loans = models.PositiveIntegerField()
    exposure = models.DecimalField(max_digits=24, decimal_places=2)
    share = models.FloatField()
    overdue_rate = models.FloatField(null=True)
    npl_rate = models.FloatField(null=True)

    class Meta:
        ordering = ["dimension", "rank"]

    def __str__(self) -> str:
        return f"{self.dimension} {self.segment}"


class RunVintageRow(models.Model):
    """Past-due and NPL rates of the loans originated in one month, at one month on book."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="vintages")
    vintage = models.DateField(help_text="First day of the origination month.")
    months_on_book = models.PositiveIntegerField()
    loans = models.PositiveIntegerField()
    balance = models.DecimalField(max_digits=24, decimal_places=2)
    overdue_rate = models.FloatField()
    npl_rate = models.FloatField()

    class Meta:
        ordering = ["vintage", "months_on_book"]

    def __str__(self) -> str:
        return f"{self.vintage:%Y-%m} MOB {self.months_on_book}"


class DpdBucket(models.TextChoices):
    CURRENT = "current", "Current"
    DPD_1_30 = "dpd_1_30", "1 to 30 days past due"
    DPD_31_60 = "dpd_31_60", "31 to 60 days past due"
    DPD_61_90 = "dpd_61_90", "61 to 90 days past due"
    DPD_90_PLUS = "dpd_90_plus", "Over 90 days past due"


class RunRollRate(models.Model):
    """Loans moving from one days-past-due bucket to another over one month."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="roll_rates")
    from_bucket = models.CharField(max_length=12, choices=DpdBucket.choices)
    to_bucket = models.CharField(max_length=12, choices=DpdBucket.choices)
    loans = models.PositiveIntegerField()
    rate = models.FloatField(help_text="Share of the from-bucket's loans; 0 when it had none.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_bucket} → {self.to_bucket}"


class LadderBucket(models.TextChoices):
    D001 = "d001", "Up to 1 day"
    D007 = "d007", "2 to 7 days"
    D030 = "d030", "8 to 30 days"
    D090 = "d090", "31 to 90 days"
    D180 = "d180", "91 to 180 days"
    D365 = "d365", "181 to 365 days"
    D999 = "d999", "Over a year"


class RunLadderRow(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="ladder")
    bucket = models.CharField(max_length=4, choices=LadderBucket.choices)
    inflow = models.DecimalField(max_digits=24, decimal_places=2)
    outflow = models.DecimalField(max_digits=24, decimal_places=2)
    gap = models.DecimalField(max_digits=24, decimal_places=2)
    cumulative_gap = models.DecimalField(max_digits=24, decimal_places=2)

    class Meta:
        ordering = ["bucket"]

    def __str__(self) -> str:
        return self.get_bucket_display()


class CurveKind(models.TextChoices):
    ROC = "roc", "ROC (false-positive rate, true-positive rate)"
    BACKTEST = "backtest", "Backtest (day index, loss minus VaR 99%)"


class RunCurvePoint(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="curve_points")
    curve = models.CharField(max_length=10, choices=CurveKind.choices)
    index = models.PositiveIntegerField()
    x = models.FloatField()
    y = models.FloatField()

    class Meta:
        ordering = ["curve", "index"]

    def __str__(self) -> str:
        return f"{self.curve} {self.index}"


class RunColumn(models.Model):
    """A per-row result of a run (a loan's score, grade, PD, expected loss) as a .npy blob,
    stored like dataset columns: a million loans are a few blobs, not a million rows."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=60)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="run_column_name")]

    def __str__(self) -> str:
        return f"{self.name} of {self.run_id}"
