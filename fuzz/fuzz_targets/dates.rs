//! The date resolver: any text, against any publication date the service
//! accepts, resolves without panicking into well-formed periods.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: (u16, &str)| {
    let (day, text) = input;
    // Publication dates from 1900 to 2100, as validation allows.
    let published = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a real date")
        + chrono::Days::new(u64::from(day) % 73_000);
    for date in dyad_extract::dates_in(text, published) {
        assert!(date.start <= date.end, "{date:?}");
    }
});
