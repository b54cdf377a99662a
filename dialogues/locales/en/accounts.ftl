# Accounts: registration, activation, phone codes, log-in, username retrieval.

flow-registration = Registration
flow-login = Sign in
flow-username = Retrieve username
menu-register = 📝 Register an account
menu-login = 🔑 Sign in to my account
menu-username = 🔍 Retrieve my username

reg-email = Please type your <b>e-mail address</b>; it becomes your username (e.g. zhangsan@example.com).
    Each address registers once. You will never be asked for a password.
reg-email-taken = The address { $email } already has an account.
    If it is yours, sign in; or register with another address.
reg-go-login = 🔑 Sign in with it
reg-other-email = ✉️ Use another address
reg-activation = Please type the <b>6-digit activation code</b> from the e-mail (valid 24 hours). Nothing arrived? Check the spam folder, or ask again after 60 seconds.
reg-code-help = The code did not match several times. Use the 6 digits from the latest message; you can ask for a new code or talk to a person.
code-resend = 🔄 Send again
reg-id-type = Please choose your <b>ID type</b>:
id-type-mainland = Resident ID card
id-type-hk-macau = Mainland travel permit (HK/Macau)
id-type-taiwan = Mainland travel permit (Taiwan)
id-type-residence = Residence permit (HK/Macau/Taiwan)
id-type-foreign = Foreign permanent residence ID
id-type-passport = Passport
reg-name = Please type your <b>real name</b> exactly as on your ID, in Chinese characters for a resident ID card (no pinyin), e.g. 张三.
reg-id-number = Please type your <b>ID number</b>, e.g. 11010519491231002X (the last character may be X).
reg-id-help = The ID number did not pass its checks several times. Compare it digit by digit with your card, especially the last character; the old 15-digit numbers work too.
reg-confirm-id = Please confirm:
    Name: { $name }
    ID number: <code>{ $id_number_masked }</code>
    Date of birth: { $id_number_birth_date }
    Gender: { $id_number_gender ->
        [male] male
       *[female] female
    }
reg-id-correct = ✅ That is right
reg-id-again = ✏️ Type the ID number again
reg-id-taken = The ID number { $id_number_masked } is <b>already registered</b>.
    • If you registered before, sign in with your old username; forgot it? Retrieve it.
    • If you never registered with this number, carry on; afterwards you confirm who you are (an ID photo checked by support, for instance) before your real-name details are bound.
reg-never-registered = I never registered with it — carry on
reg-phone = Please type your <b>mobile number</b> (mainland China, e.g. 13812345678), or share it with the button below.
reg-phone-used = The number { $phone_masked } is used by another account. If it is yours, you may keep it.
reg-phone-continue = Keep this number
reg-phone-other = 📱 Use another number
reg-sms-code = Please type the <b>6-digit code</b> you received (valid 5 minutes).
code-by-email = ✉️ Get it by e-mail instead
code-other-channel = The code cannot be sent by SMS right now. Get it by e-mail instead, or talk to a person.
code-stuck = This step cannot go on right now. Please try later, or let a person help you.
reg-done = 🎉 <b>Registration complete!</b>
    Username: { $email }
    Your account is active{ $phone_checked ->
        [sms] , your phone verified,
       *[other] (your phone was not confirmed by SMS, so codes will go to your e-mail only)
    } and it is linked to this Telegram account. { $binding ->
        [pending] Next: choose "ID number taken / bind my details" in the menu to confirm who you are and bind your details.
       *[other] Next: check your student record from the main menu.
    }

login-username = Please type your <b>username</b> (the e-mail address you registered with).
login-not-found = No account has this username. Check the spelling, retrieve your username, or register.
login-retry = 🔄 Type it again
login-channel = Where should the code go?
    SMS: { $login_phone_masked }
    E-mail: { $login_email_masked }
login-by-sms = 📱 SMS
login-by-email = ✉️ E-mail
login-code = Please type the <b>6-digit code</b> you received.
login-other-channel = Another way
login-done = ✅ <b>Signed in!</b> This chat is now linked to your account.
login-signed-out-elsewhere = Your account was signed in from another Telegram chat, so this chat was signed out. If that was not you, talk to a person at once.

username-name = Please type the <b>real name</b> you registered with.
username-id-number = Please type the <b>ID number</b> you registered with.
username-found = Your username: <b>{ $username_masked }</b>
    The full username has been e-mailed to that address.
username-not-found = No account matches this name and ID number. Check them and try again, or register.
username-limited = Too many look-ups — please try again later: at most 5 an hour from one chat, and 5 a day for one ID number.
username-mail-subject = Your username
username-mail-body = Hello! Your student account username is: { $username }
    If you did not ask for this, ignore this e-mail.

code-sms-unavailable = SMS cannot be sent at the moment.
code-cooldown = A code was sent moments ago — you can ask again in { $seconds } seconds. Check the messages you have.
code-hourly-limit = This number has had 5 codes this hour — please try again in { $minutes } minutes, or use another way.
code-locked = Too many wrong codes: this step is locked for { $minutes } minutes. Send /human if you need a person.
code-delivery-failed = The code could not be delivered. Get it the other way (SMS or e-mail), or talk to a person.
code-message = [Student account assistant] Your { $purpose } code is { $code }, valid for { $validity }. Do not share it.
code-mail-subject = Your { $purpose } code
code-sent-email = A code has been e-mailed to { $target }; it is valid for { $validity }.
code-sent-sms = A code has been sent by SMS to { $target }; it is valid for { $validity }.
code-wrong = That code is not right — { $tries } tries left.
code-dead = This code was mistyped 5 times and no longer works. Press "Send again" for a new one.
code-expired = This code has expired or was already used. Press "Send again" for a new one.
code-purpose-activation = activation
code-purpose-phone = phone verification
code-purpose-login = sign-in
code-purpose-bind = binding your real-name information
code-purpose-erase = deleting your data
status-account = { $username } · active · { $phone } · { $binding }
status-phone-verified = phone verified
status-phone-unverified = phone not verified by SMS
binding-bound = real-name details bound
binding-pending = real-name details waiting (the ID number is taken; confirm who you are first)
binding-unbound = real-name details unbound (the ID number was confirmed by someone else)
duration-minutes = { $n } minutes
duration-hours = { $n } hours

# Limits that keep anyone from probing who is registered, and what a code proved.
lookup-limited = Too many look-ups — please try again in { $minutes } minutes.
lookup-limited-menu = To protect accounts, look-ups are paused for now. A person can help if you need it.
reg-email-unverified = This e-mail address has not been confirmed with its activation code. Please enter the address again and type the code sent to it.
code-phone-unverified = This account's phone number was never confirmed by SMS, so codes go to its e-mail address only. Please choose "E-mail".
reg-id-taken-meanwhile = Your account is created, but <b>the ID number is already registered</b>: another account bound it while you were registering, so your real-name details are not bound yet. Next: choose "ID number taken / bind my details" in the menu to confirm who you are.
binding-unmatched = real-name details not bound (the name does not match the record: check your record)
binding-resolved = confirmed, real-name details not bound yet
