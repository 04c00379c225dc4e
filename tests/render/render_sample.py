"""A synthetic ~20 KB Vietnamese ISO 9001 procedure used by the render tests and benchmark."""

_STEP = """### Bước {n}: Tiếp nhận và kiểm tra hồ sơ đăng ký lần {n}

Bộ phận Một cửa của **Sở Khoa học và Công nghệ** tiếp nhận hồ sơ, kiểm tra tính đầy đủ,
hợp lệ của thành phần hồ sơ theo quy định tại *Thông tư số 0{n}/2024/TT-BKHCN*. Trường hợp hồ sơ
chưa đầy đủ, công chức hướng dẫn tổ chức, cá nhân bổ sung, hoàn thiện theo quy định.

- Thời gian thực hiện: 0{n} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
- Trách nhiệm: Phòng Quản lý chuyên ngành; Văn phòng Sở; Lãnh đạo Sở.
- Biểu mẫu: BM-{n:02d}-QT.ĐKHS (xem [phụ lục](#phu-luc)).

| STT | Nội dung công việc | Trách nhiệm | Thời gian |
|:---:|:-------------------|:------------|----------:|
| {n}.1 | Tiếp nhận, đối chiếu hồ sơ | Công chức Một cửa | 0,5 ngày |
| {n}.2 | Thẩm định nội dung đăng ký | Phòng chuyên môn | 02 ngày |
| {n}.3 | Trình ký, đóng dấu, trả kết quả | Lãnh đạo Sở | 0,5 ngày |

"""

_HEAD = """# Quy trình đăng ký hồ sơ nhiệm vụ khoa học và công nghệ cấp tỉnh

## 1. Mục đích

Quy định trình tự, thủ tục đăng ký, xét duyệt và quản lý hồ sơ nhiệm vụ khoa học và công nghệ
cấp tỉnh, bảo đảm công khai, minh bạch và đúng thời hạn theo Hệ thống quản lý chất lượng
**TCVN ISO 9001:2015**.

## 2. Phạm vi áp dụng

Áp dụng đối với các phòng, đơn vị thuộc Sở và tổ chức, cá nhân có liên quan.

## 3. Nội dung quy trình

"""

_TAIL = """## 4. Hồ sơ lưu

1. Phiếu tiếp nhận hồ sơ;
2. Biên bản thẩm định;
3. Quyết định phê duyệt.

## Phụ lục

> Ghi chú: Hồ sơ được lưu tại Văn phòng Sở tối thiểu **05 năm**.

```text
Mã quy trình: QT-ĐKHS-01   Lần ban hành: 02   Ngày hiệu lực: 01/01/2025
```
"""


def vietnamese_procedure(target_bytes: int = 20_000) -> str:
    """Return a realistic procedure of roughly *target_bytes* UTF-8 bytes."""
    steps = []
    n = 1
    while len((_HEAD + "".join(steps) + _TAIL).encode("utf-8")) < target_bytes:
        steps.append(_STEP.format(n=n))
        n += 1
    return _HEAD + "".join(steps) + _TAIL
