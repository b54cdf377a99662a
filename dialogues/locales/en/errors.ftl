# Student-information helpdesk — input validation messages (English)
# Each key is the key() of an error enum in src/; variables come from args().

## ID number (IdNumberError)

err-id-empty = Please enter your ID number.
err-id-length = The ID number should have 18 characters (15 for an old mainland ID card), but you entered { $found }. Please check it.
err-id-non-digit = Character { $position } of the ID number should be a digit (only the last one may be X). Please check it.
err-id-province = The first two digits “{ $code }” are not a valid province code. Please check the number.
err-id-is-residence-permit = This is a residence permit number for Hong Kong, Macau or Taiwan residents. Please choose “Residence permit” as the ID type.
err-id-birth-date-invalid = The birth date in the ID number (characters 7–14) is not a real date. Please check it.
err-id-birth-date-future = The birth date in the ID number is later than today. Please check it.
err-id-birth-date-too-early = The birth date in the ID number is before 1900. Please check it.
err-id-check-digit = The last character should be { $expected } — please check each digit.
err-id-residence-prefix = A residence permit number starts with 810000, 820000 or 830000. Please check the ID type and the number.
err-id-hk-macau-format = A Home Return Permit number is H or M followed by 8 or 10 digits.
err-id-taiwan-format = A Taiwan Compatriot Permit number has 8 digits (10 characters on older permits).
err-id-foreign-format = A Foreign Permanent Resident ID number is 3 letters and 12 digits, or 18 characters starting with 9.
err-id-passport-format = A passport number has 5 to 17 letters or digits.

## Email (EmailError)

err-email-empty = Please enter your email address.
err-email-spaces = An email address cannot contain spaces.
err-email-too-long = An email address can have at most { $max } characters; you entered { $found }.
err-email-missing-at = The email address is missing “@”, as in zhangsan@example.com.
err-email-multiple-at = An email address can contain only one “@”.
err-email-local-empty = Please enter the user name before the “@”.
err-email-local-too-long = The part before the “@” can have at most { $max } characters; you entered { $found }.
err-email-local-char = The part before the “@” cannot contain “{ $char }”.
err-email-local-dots = The part before the “@” cannot start or end with a dot or contain two dots in a row.
err-email-domain-empty = Please enter the domain after the “@”, such as example.com.
err-email-domain-no-dot = The email domain should contain a dot, such as example.com.
err-email-domain-invalid = The email domain is not valid: use only letters, digits, hyphens and dots.
err-email-tld = The email domain should end with at least 2 letters, such as .com or .cn.

## Phone (PhoneError)

err-phone-empty = Please enter your mobile number.
err-phone-non-digit = The mobile number cannot contain “{ $char }”. Please enter digits only.
err-phone-country-code = Only mainland China mobile numbers (+86) are supported.
err-phone-length = A mobile number has 11 digits; you entered { $found }.
err-phone-not-mobile = This is not a mainland China mobile number: it should start with 13–19.

## Name (PersonNameError)

err-name-empty = Please enter your name.
err-name-too-short = Your name should have at least { $min } characters; you entered { $found }.
err-name-too-long = Your name can have at most { $max } characters; you entered { $found }.
err-name-digits = A name cannot contain digits.
err-name-latin-not-allowed = Please type your name in Chinese characters as on your ID card.
err-name-invalid-char = A name cannot contain “{ $char }”.
err-name-dot-misplaced = The middle dot “·” in a name cannot be first or last, or appear twice in a row.
err-name-symbol-misplaced = “{ $char }” in a name cannot be first or last, or stand next to another symbol.
