"""Words for generated tickets: English and Russian support vocabulary, drawn Zipf-like so
some words are common and most are rare, as in real mail."""
import random

ENGLISH = """
account access activation address alert android app application approve attachment backup
balance bank billing blocked browser bug cache calendar cancel card charge chat checkout
client cloud code company configure connection contract cookie copy crash customer dashboard
data database deadline delete delivery desktop device discount display document domain
download driver duplicate email error export failed feature file firewall form freeze
gateway guarantee hardware help image import install integration internet invoice iphone
issue keyboard laptop latency license limit link login logout mailbox manager message
migration mobile monitor network notification order outage package page password payment
permission phone plan port price printer privacy profile proxy purchase quote receipt
refund registration reminder renewal report request reset restore router scanner schedule
screen security server service session settings shipping signature slow software speed
subscription support sync tablet tax ticket timeout token transfer update upgrade upload
user verification version video vpn warranty website wifi window workflow
""".split()

RUSSIAN = """
аккаунт адрес акт банк безопасность блокировка браузер бумага возврат вопрос вход
выписка гарантия денег договор документ доставка доступ ошибка заказ заявка звонок
измените интернет карта касса клиент ключ код компьютер консультация контракт копия
лицензия логин менеджер модем монитор настройка неисправность обновление обмен ответ
отчёт оплата пароль перевод печать письмо платёж подключение подписка поддержка покупка
почта принтер проблема программа продление профиль работает расчёт регистрация роутер
связь сервер сервис сеть скидка сканер скорость смена сообщение сайт счёт тариф телефон
товар трафик установка услуга файл функция цена чек экран
""".split()

WORDS = ENGLISH + RUSSIAN
random.Random(7).shuffle(WORDS)  # mix the languages along the frequency curve
# Zipf-like weights: the k-th word is drawn in proportion to 1/(k+1).
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]
