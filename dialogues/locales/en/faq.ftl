# Questions and answers: the "how to solve information errors" part of the school's guide.

flow-faq = Questions and answers
faq-root = <b>Questions and answers</b>
    Choose the one that matches your situation:
faq-more = « Other questions
faq-q-steps = The steps to register and check
faq-q-no-record = "Record not found" / wrong name or ID
faq-q-id-taken = "ID number already registered"
faq-q-id-review = "Waiting for review"
faq-q-username = I forgot my username
faq-q-info-wrong = My record is wrong
faq-q-photo = My photo is wrong
faq-q-code = The code does not arrive
faq-a-steps = <b>The steps to register and check</b>
    1. Register: your username is your e-mail address; each address registers once.
    2. Activate: we e-mail you an activation code; type it here.
    3. Real-name details: your name (in Chinese characters, as on your ID), ID type, ID number.
    4. Phone and code: type your mobile number, then the 6-digit code you receive.
    5. Check your record: go through every field, and check your graduate photo.
    If you registered before, just sign in — no need to register again.
    Tip: keep your account details safe; without them you cannot check your photo, record or degree.
faq-a-no-record = <b>"Record not found" / wrong name or ID number</b>
    Try these in order:
    A. Look closely at the name and ID number shown — some characters are easy to confuse (己/已/巳, 戍/戌).
    B. Name wrong: choose "Edit my details" on the check page and correct it.
    C. ID number wrong: register a new account with the right number (usernames cannot repeat, so use another e-mail address).
    Still stuck? Talk to a person.
faq-a-id-taken = <b>"ID number already registered"</b>
    An active account already uses this ID number.
    • If you registered before: sign in with your old username; forgot it? Use "Retrieve username".
    • If you never registered with this number: carry on registering. Afterwards you confirm who you are — a photo of you holding your ID card (front and back) checked by support, a classmate's confirmation, or questions about your record — and then bind your real-name details.
faq-a-id-review = <b>"ID number registered; it can be registered again after support reviews it"</b>
    Several users have used this ID number and support is reviewing it.
    • If you registered with this number before: sign in with your old username; forgot it? Use "Retrieve username".
    • You can follow the review under "My progress" at any time.
faq-a-username = <b>Forgot your username</b>
    Choose "Retrieve username" and enter your name and ID number. We show the username partly hidden here (like z***n@example.com) and e-mail the full username to the account's address.
    To stop others from probing, only a few look-ups an hour are allowed.
faq-a-info-wrong = <b>Your record is wrong</b>
    When checking your record, choose "Something is wrong", pick the wrong fields, type the right values and send evidence (photos or files of your ID card, admission letter…).
    Your counsellor reviews it; follow it under "My progress".
faq-a-photo = <b>Your photo is wrong</b>
    When checking your photo, choose "Change", say why (not me, unclear, wrong background or size, other) and you may upload a new photo.
    The photo stays unconfirmed until support settles it.
faq-a-code = <b>The code does not arrive</b>
    • A code is valid for 5 minutes; you can ask for a new one after 60 seconds, at most 5 times an hour per number.
    • Check the number, your signal, and any SMS blocking.
    • You can choose to receive the code by e-mail instead.
    • Too many wrong codes lock the step for 30 minutes; a person can help then.
